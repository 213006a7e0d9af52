"""A git repository with branches, tags, authors and uncommitted work (~/code/api)."""

from devset_tasks._dsl import t

CATEGORY = "git"
API = "~/code/api"
E = "ignore"

TASKS = [
    t("git.branches", f"list the branches of the repo in {API}",
      f"git -C {API} branch --format='%(refname:short)'", stdout="unordered"),
    t("git.current-branch", f"which branch is checked out in {API}?",
      f"git -C {API} branch --show-current"),
    t("git.merged", f"branches already merged into main in {API}, not main itself",
      f"git -C {API} branch --merged main --format='%(refname:short)' | grep -vx main",
      stdout="unordered", wrong=[f"git -C {API} branch --no-merged main"]),
    t("git.not-merged", f"which branches in {API} are not merged into main yet",
      f"git -C {API} branch --no-merged main --format='%(refname:short)'", stdout="unordered"),
    t("git.status-short", f"what files have uncommitted changes in {API}? short status",
      f"git -C {API} status --short"),
    t("git.untracked", f"untracked files in {API}",
      f"git -C {API} ls-files --others --exclude-standard", stdout="paths"),
    t("git.log-5", f"last 5 commits in {API}, one line each",
      f"git -C {API} log --oneline -5"),
    t("git.log-author", f"commits by Bob Chen in {API} (hash and subject)",
      f"git -C {API} log --author='Bob Chen' --format='%h %s'"),
    t("git.tags", f"show the tags in {API}", f"git -C {API} tag"),
    t("git.diff-stat", f"what changed in the working tree of {API}? just a summary per file",
      f"git -C {API} diff --stat"),
    t("git.diff-names", f"names of modified (unstaged) files in {API}",
      f"git -C {API} diff --name-only", stdout="paths"),
    t("git.files-last-commit", f"which files did the last commit in {API} touch",
      f"git -C {API} show --name-only --format= HEAD", stdout="paths"),
    t("git.since-tag", f"commits in {API} since the latest tag, oneline",
      f"git -C {API} log --oneline \"$(git -C {API} describe --tags --abbrev=0)\"..HEAD"),
    t("git.count-since-tag", f"how many commits since the last tag in {API}",
      f"git -C {API} rev-list --count \"$(git -C {API} describe --tags --abbrev=0)\"..HEAD",
      stdout="number"),
    t("git.new-branch", f"create a branch called hotfix/login-crash in {API} and switch to it",
      f"git -C {API} switch -c hotfix/login-crash", stdout=E,
      wrong=[f"git -C {API} branch hotfix/login-crash"]),
    t("git.branch-only", f"create a branch release/2.0 in {API} from main without switching",
      f"git -C {API} branch release/2.0 main", stdout=E,
      wrong=[f"git -C {API} checkout -b release/2.0"]),
    t("git.delete-merged", f"in {API}, switch to main and then delete the local branches "
      "that are merged into it (but never main)", f"git -C {API} switch -q main && "
      f"git -C {API} branch --merged main --format='%(refname:short)' | "
      f"grep -vx main | xargs -r git -C {API} branch -d", stdout=E,
      wrong=[f"git -C {API} branch --merged main"]),
    t("git.stash", f"stash my uncommitted changes in {API}", f"git -C {API} stash", stdout=E),
    t("git.tag-new", f"tag the current commit in {API} as v2.0.0",
      f"git -C {API} tag v2.0.0", stdout=E),
    t("git.restore-app", f"throw away my local changes to app.py in {API}",
      f"git -C {API} checkout -- app.py", stdout=E,
      wrong=[f"git -C {API} reset --hard", f"git -C {API} clean -fd"]),
    t("git.clean-dry", f"which untracked files would git clean remove in {API}? don't delete "
      "anything", f"git -C {API} clean -n", wrong=[f"git -C {API} clean -f"]),
    t("git.stage-py", f"stage all modified .py files in {API}",
      f"cd {API} && git add -u -- '*.py'", stdout=E, wrong=[f"cd {API} && git add -A"]),
    t("git.log-file", f"history of db.py in {API}, one line per commit",
      f"git -C {API} log --oneline -- db.py"),
    t("git.authors", f"who has committed to {API}? names only, each once",
      f"git -C {API} log --all --format='%an' | sort -u", stdout="unordered"),
    t("git.last-commit-date", f"when was the last commit on main in {API}? ISO date",
      f"git -C {API} log -1 --format=%cs main"),
    t("git.fix-commits", f"find commits in {API} whose message starts with Fix",
      f"git -C {API} log --all --oneline --grep='^Fix'"),
    t("git.show-head-file", f"show README.md as it is in the last commit of {API}",
      f"git -C {API} show HEAD:README.md"),
]
