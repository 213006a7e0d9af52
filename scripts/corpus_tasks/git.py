# ruff: noqa: E501  (commands are data: a long one-liner stays on one line)
"""git: status, history, branches, remotes, undoing things, stashes, tags, inspection."""

from ._dsl import P, T, cross
from ._pools import BRANCHES, REMOTES, TAGS

FILES = P("file", "README.md", "main.py", "src/app.js", "config.yaml", "notes.txt", "Makefile",
          "package.json")
MESSAGES = P("msg", "fix typo", "add login page", "update dependencies", "initial commit",
             "refactor parser", "bump version to 1.2.0", "remove debug logging")
AUTHORS = P("author", "alice", "bob", "Jane Doe", "john@example.com", "dependabot")
REPO_URLS = P(
    "url dir",
    "https://github.com/example/project.git project",
    "git@github.com:example/app.git app",
    "https://gitlab.com/group/tool.git tool",
    "https://github.com/example/dotfiles.git dotfiles",
)
COMMITS = P("rev", "a1b2c3d", "HEAD~1", "HEAD~3", "9f8e7d6", "4c5d6e7", "main~2")
NEW_REMOTES = P("remote", "fork", "backup", "mirror", "gitlab")
NEW_TAGS = P("tag", "v4.0.0", "v1.3.0", "v2.4.0", "v0.1.0-beta", "v5.2.1", "release-2025")
NEW_BRANCHES = P("branch", "feature/payments", "bugfix/crash-on-start", "chore/deps",
                 "feature/dark-mode", "spike/cache", "docs/readme")

# -- basics -------------------------------------------------------------------------------------

T("git.status", "git status", """
what changed in my repo
git status
show modified files in git
which files have I changed
""")

T("git.status_short", "git status -sb", """
short git status with branch
compact status of the repository
""")

T("git.init", "git init", """
start a new git repository here
initialize git in this folder
make this directory a git repo
""")

T("git.clone", "git clone {url}", """
clone {url}
download the repository {url}
get a copy of the repo {url}
""", REPO_URLS)

T("git.clone_shallow", "git clone --depth 1 {url}", """
shallow clone of {url}
clone {url} without the full history
clone only the latest commit of {url}
""", REPO_URLS)

T("git.clone_branch", "git clone -b {branch} {url}", """
clone the {branch} branch of {url}
clone {url} and check out {branch}
""", cross(BRANCHES, REPO_URLS))

T("git.clone_into", "git clone {url} {target}", """
clone {url} into the folder {target}
clone the repo {url} as {target}
""", cross(REPO_URLS, P("target", "myproject", "src/vendor/lib", "work", "backup-repo")))

T("git.add_file", "git add {file}", """
stage {file}
add {file} to the next commit
git add {file}
""", FILES)

T("git.add_all", "git add -A", """
stage all changes
add everything including deleted files
stage all modified new and removed files
""")

T("git.add_patch", "git add -p", """
stage changes interactively hunk by hunk
choose which parts of my changes to stage
""")

T("git.commit", "git commit -m '{msg}'", """
commit with the message "{msg}"
commit staged changes: {msg}
save my work in git with message {msg}
""", MESSAGES)

T("git.commit_all", "git commit -am '{msg}'", """
commit all tracked changes with message "{msg}"
stage and commit every modified file: {msg}
""", MESSAGES)

T("git.amend", "git commit --amend --no-edit", """
add staged changes to the last commit
amend the previous commit without changing the message
I forgot a file in my last commit
""")

T("git.amend_msg", "git commit --amend -m '{msg}'", """
change the last commit message to "{msg}"
fix the message of my previous commit: {msg}
reword the last commit as {msg}
""", MESSAGES)

T("git.empty_commit", "git commit --allow-empty -m '{msg}'", """
make an empty commit to trigger ci
create a commit with no changes: {msg}
""", P("msg", "trigger ci", "empty commit", "redeploy"))

# -- history ------------------------------------------------------------------------------------

T("git.log_oneline", "git log --oneline -n {n}", """
last {n} commits
show the recent commit history in one line each
git log short, {n} entries
""", P("n", "10", "20", "5", "30", "3"))

T("git.log_graph", "git log --oneline --graph --decorate --all", """
show the commit graph of all branches
visualize git history as a tree
branch graph in the terminal
""")

T("git.log_file", "git log --follow -p -- {file}", """
history of changes to {file}
show every commit that touched {file} with diffs
how has {file} changed over time
""", FILES)

T("git.log_author", "git log --author='{author}' --oneline", """
commits by {author}
what did {author} commit
show {author}'s commits
""", AUTHORS)

T("git.log_since", "git log --since='{since}' --oneline", """
commits since {since}
what was committed {since_words}
""", P("since since_words", "2 weeks ago ; in the last two weeks", "yesterday ; since yesterday",
       "2024-01-01 ; since January 1st 2024", "1 month ago ; during the last month",
       "midnight ; today"))

T("git.log_grep", "git log --grep='{word}' --oneline", """
find commits whose message mentions {word}
search commit messages for {word}
""", P("word", "fix", "login", "JIRA-123", "revert", "security", "typo"))

T("git.log_pickaxe", "git log -S '{code}' --oneline", """
which commit added or removed {code}
find when {code} was introduced
search history for changes to the string {code}
""", P("code", "TODO", "api_key", "def parse", "console.log", "import requests"))

T("git.log_stat", "git log --stat -n {n}", """
last {n} commits with the files they changed
commit history with file change stats
""", P("n", "5", "10", "3"))

T("git.log_range", "git log --oneline {a}..{b}", """
commits in {b} that are not in {a}
what's on {b} but not {a}
""", P("a b", "main develop", "origin/main HEAD", "v1.0.0 v2.0.0", "main feature/login"))

T("git.log_format", "git log --pretty=format:'%h %an %ar %s' -n {n}", """
show the last {n} commits with hash, author, relative date and subject
custom formatted git log
""", P("n", "10", "20", "5"))

T("git.shortlog", "git shortlog -sn", """
how many commits has each author made
contributor ranking by commit count
who contributed the most
""")

T("git.show", "git show {rev}", """
show the commit {rev}
what changed in {rev}
details and diff of commit {rev}
""", COMMITS)

T("git.show_file_at", "git show {rev}:{file}", """
show {file} as it was in {rev}
contents of {file} at commit {rev}
""", cross(COMMITS, FILES))

T("git.show_names", "git show --name-only {rev}", """
which files did commit {rev} change
list the files touched by {rev}
""", COMMITS)

T("git.blame", "git blame {file}", """
who changed each line of {file}
git blame {file}
find out who wrote the lines in {file}
""", FILES)

T("git.blame_lines", "git blame -L {a},{b} {file}", """
who last edited lines {a} to {b} of {file}
blame only lines {a}-{b} in {file}
""", cross(P("a b", "10 20", "1 5", "100 120", "42 42"), FILES))

T("git.reflog", "git reflog -n {n}", """
show where HEAD has been
recover a lost commit with the reflog
git reflog last {n}
""", P("n", "20", "10", "30"))

T("git.count_commits", "git rev-list --count HEAD", """
how many commits are in this repo
count the commits on this branch
""")

T("git.first_commit", "git log --reverse --oneline | head -n 1", """
show the first commit of the repository
what was the initial commit
""")

T("git.last_commit_date", "git log -1 --format=%cd", """
when was the last commit made
date of the latest commit
""")

# -- diffs --------------------------------------------------------------------------------------

T("git.diff", "git diff", """
show my unstaged changes
what did I change that is not staged
git diff of the working tree
""")

T("git.diff_staged", "git diff --staged", """
show staged changes
what's about to be committed
diff of the index against HEAD
""")

T("git.diff_file", "git diff -- {file}", """
what changed in {file}
diff {file} against the last commit
""", FILES)

T("git.diff_branches", "git diff {a}..{b}", """
difference between {a} and {b}
compare branch {a} with {b}
diff {a} and {b}
""", P("a b", "main develop", "main feature/login", "v1.0.0 v2.0.0", "origin/main main",
       "develop release-2.1"))

T("git.diff_names", "git diff --name-only {a}..{b}", """
which files differ between {a} and {b}
list files changed between {a} and {b}
""", P("a b", "main develop", "main feature/login", "v1.0.0 v2.0.0", "HEAD~5 HEAD"))

T("git.diff_stat", "git diff --stat", """
summary of my changes per file
how many lines changed in each file
""")

T("git.diff_word", "git diff --word-diff", """
show changes word by word
diff with changed words highlighted instead of lines
""")

T("git.diff_commit_prev", "git diff HEAD~1 HEAD", """
what changed in the last commit
diff between the previous commit and now
""")

# -- branches -----------------------------------------------------------------------------------

T("git.branch_list", "git branch -a", """
list all branches
show local and remote branches
what branches exist
""")

T("git.branch_current", "git branch --show-current", """
which branch am I on
current git branch name
""")

T("git.branch_create", "git switch -c {branch}", """
create a new branch {branch} and switch to it
start a branch called {branch}
make branch {branch} and check it out
new branch {branch}
""", NEW_BRANCHES)

T("git.branch_from", "git switch -c {branch} {base}", """
create {branch} from {base}
branch off {base} into a new branch {branch}
""", cross(NEW_BRANCHES, P("base", "main", "origin/main", "develop", "v1.0.0")))

T("git.switch", "git switch {branch}", """
switch to the branch {branch}
go to branch {branch}
check out {branch}
""", BRANCHES + P("branch", "main", "master"))

T("git.checkout_prev", "git switch -", """
go back to the previous branch
switch to the last branch I was on
""")

T("git.branch_delete", "git branch -d {branch}", """
delete the branch {branch}
remove local branch {branch}
""", BRANCHES)

T("git.branch_delete_force", "git branch -D {branch}", """
force delete the branch {branch} even if unmerged
delete {branch} without checking it was merged
""", BRANCHES)

T("git.branch_delete_remote", "git push {remote} --delete {branch}", """
delete the remote branch {branch}
remove {branch} from {remote}
""", cross(BRANCHES, REMOTES))

T("git.branch_rename", "git branch -m {old} {new}", """
rename branch {old} to {new}
change the name of the branch {old} to {new}
""", P("old new", "master main", "feature/login feature/auth", "fix fix/typo", "dev develop"))

T("git.branch_merged", "git branch --merged main", """
which branches are already merged into main
list merged branches
""")

T("git.branch_cleanup", {
    "gnu": "git branch --merged main | grep -vE '^\\*|^ *main$' | xargs -r git branch -d",
    "bsd": "git branch --merged main | grep -vE '^\\*|^ *main$' | xargs git branch -d",
}, """
delete all local branches already merged into main
clean up merged branches
remove the branches that have been merged
""")

T("git.branch_sorted", "git branch --sort=-committerdate", """
list branches by most recent commit
branches sorted by last activity
""")

T("git.branch_upstream", "git branch -vv", """
show which remote branch each local branch tracks
branches with their upstream and ahead/behind counts
""")

T("git.merge", "git merge {branch}", """
merge {branch} into the current branch
bring the changes from {branch} in
""", BRANCHES + P("branch", "main", "origin/main"))

T("git.merge_no_ff", "git merge --no-ff {branch}", """
merge {branch} with a merge commit
merge {branch} without fast-forward
""", BRANCHES)

T("git.merge_squash", "git merge --squash {branch}", """
squash merge {branch}
merge all commits of {branch} as one change
""", BRANCHES)

T("git.merge_abort", "git merge --abort", """
abort the merge
cancel this merge and go back
""")

T("git.rebase", "git rebase {base}", """
rebase onto {base}
rebase my branch on top of {base}
replay my commits on {base}
""", P("base", "main", "origin/main", "develop", "origin/develop"))

T("git.rebase_interactive", "git rebase -i HEAD~{n}", """
squash the last {n} commits
interactively rebase the last {n} commits
edit or reorder my last {n} commits
""", P("n", "3", "5", "2", "4", "10"))

T("git.rebase_continue", "git rebase --continue", """
continue the rebase after fixing conflicts
resume rebasing
""")

T("git.rebase_abort", "git rebase --abort", """
abort the rebase
cancel the rebase in progress
""")

T("git.cherry_pick", "git cherry-pick {rev}", """
cherry-pick {rev}
apply commit {rev} to this branch
copy the commit {rev} onto the current branch
""", P("rev", "a1b2c3d", "9f8e7d6", "4c5d6e7", "feature/login~1"))

T("git.conflicts", "git diff --name-only --diff-filter=U", """
which files have merge conflicts
list conflicted files
""")

T("git.ours_theirs", "git checkout --{side} -- {file}", """
resolve the conflict in {file} by taking {side_words}
keep {side_words} for {file}
""", cross(P("side side_words", "ours ; my version", "theirs ; their version"), FILES))

# -- remotes ------------------------------------------------------------------------------------

T("git.remote_list", "git remote -v", """
list remotes
show the remote urls
where does this repo push to
""")

T("git.remote_add", "git remote add {remote} {url}", """
add a remote called {remote} for {url}
add {url} as the {remote} remote
""", cross(NEW_REMOTES, REPO_URLS))

T("git.remote_seturl", "git remote set-url origin {url}", """
change the origin url to {url}
point origin at {url}
switch the remote from https to ssh: {url}
""", REPO_URLS)

T("git.remote_remove", "git remote remove {remote}", """
remove the remote {remote}
delete remote {remote}
""", P("remote", "upstream", "heroku", "old-origin"))

T("git.fetch", "git fetch --all --prune", """
fetch all remotes and prune deleted branches
update remote tracking branches
""")

T("git.pull", "git pull", """
pull the latest changes
update my branch from the remote
git pull
""")

T("git.pull_rebase", "git pull --rebase", """
pull with rebase instead of merge
update from the remote and rebase my commits on top
""")

T("git.push", "git push", """
push my commits
upload my changes to the remote
git push
""")

T("git.push_upstream", "git push -u origin {branch}", """
push the new branch {branch} and set upstream
publish {branch} to origin
push {branch} for the first time
""", BRANCHES)

T("git.push_force_safe", "git push --force-with-lease", """
force push safely after a rebase
overwrite the remote branch but not someone else's work
""")

T("git.push_tags", "git push origin --tags", """
push all tags
upload my tags to origin
""")

T("git.sync_fork", "git fetch upstream && git rebase upstream/main", """
update my fork from upstream
sync with the upstream repository
""")

T("git.ahead_behind", "git rev-list --left-right --count origin/{branch}...HEAD", """
how far ahead or behind origin/{branch} am I
count commits ahead and behind {branch} on the remote
""", P("branch", "main", "develop", "master"))

# -- undoing ------------------------------------------------------------------------------------

T("git.restore_file", "git restore {file}", """
discard my changes to {file}
revert {file} to the last commit
undo local edits in {file}
""", FILES)

T("git.restore_all", "git restore .", """
discard all unstaged changes
throw away my local modifications
""")

T("git.unstage", "git restore --staged {file}", """
unstage {file}
remove {file} from the staging area but keep my edits
""", FILES)

T("git.undo_commit_soft", "git reset --soft HEAD~1", """
undo the last commit but keep the changes
uncommit the previous commit
take back my last commit and keep the files staged
""")

T("git.undo_commit_hard", "git reset --hard HEAD~1", """
delete the last commit and its changes
throw away my last commit completely
""")

T("git.reset_remote", "git fetch origin && git reset --hard origin/{branch}", """
make my branch exactly match origin/{branch}
discard everything local and reset to the remote {branch}
""", P("branch", "main", "develop", "master"))

T("git.revert", "git revert {rev}", """
revert commit {rev}
undo {rev} with a new commit
create a commit that reverses {rev}
""", COMMITS)

T("git.clean_dry", "git clean -nd", """
which untracked files would be deleted
preview git clean
""")

T("git.clean", "git clean -fd", """
delete untracked files and folders
remove everything not tracked by git
""")

T("git.rm_cached", "git rm --cached {file}", """
stop tracking {file} but keep it on disk
untrack {file}
remove {file} from git without deleting it
""", FILES + P("file", ".env", "config/secrets.yml"))

T("git.rm_cached_dir", "git rm -r --cached {dir}", """
stop tracking the {dir} folder
untrack {dir} after adding it to gitignore
""", P("dir", "node_modules", "build", ".idea", "__pycache__", "dist"))

T("git.mv", "git mv {a} {b}", """
rename {a} to {b} in git
move {a} to {b} and keep history
""", P("a b", "old.py new.py", "README README.rst", "src/util.js src/utils.js",
       "docs/guide.md docs/tutorial.md"))

T("git.checkout_file_rev", "git checkout {rev} -- {file}", """
restore {file} from {rev}
get the version of {file} from commit {rev}
""", cross(COMMITS, FILES))

# -- stash --------------------------------------------------------------------------------------

T("git.stash", "git stash push -m '{msg}'", """
stash my changes as "{msg}"
save my work in progress for later: {msg}
""", P("msg", "wip", "half done refactor", "experiment", "before rebase"))

T("git.stash_plain", "git stash", """
stash my changes
put my uncommitted changes aside
""")

T("git.stash_untracked", "git stash -u", """
stash changes including untracked files
stash everything, new files too
""")

T("git.stash_list", "git stash list", """
list my stashes
show saved stashes
""")

T("git.stash_pop", "git stash pop", """
apply my last stash and drop it
bring back the stashed changes
unstash
""")

T("git.stash_apply", "git stash apply stash@{{n}}", """
apply stash number {n} without dropping it
restore stash {n}
""", P("n", "0", "1", "2", "3"))

T("git.stash_show", "git stash show -p stash@{{n}}", """
show the diff in stash {n}
what's in stash number {n}
""", P("n", "0", "1", "2"))

T("git.stash_drop", "git stash drop stash@{{n}}", """
delete stash {n}
drop stash number {n}
""", P("n", "0", "1", "2"))

# -- tags ---------------------------------------------------------------------------------------

T("git.tag_list", "git tag --sort=-v:refname", """
list tags, newest version first
show all git tags
""")

T("git.tag_create", "git tag -a {tag} -m 'Release {tag}'", """
tag this commit as {tag}
create an annotated tag {tag}
mark a release {tag}
""", NEW_TAGS)

T("git.tag_delete", "git tag -d {tag} && git push origin --delete {tag}", """
delete the tag {tag} locally and on the remote
remove tag {tag} everywhere
""", TAGS)

T("git.tag_latest", "git describe --tags --abbrev=0", """
what is the latest tag
most recent release tag
""")

T("git.checkout_tag", "git switch --detach {tag}", """
check out the tag {tag}
go to the code as of {tag}
""", TAGS)

# -- inspection & config ------------------------------------------------------------------------

T("git.grep", "git grep -n '{pat}'", """
search tracked files for {pat}
git grep {pat}
find {pat} in the repository
""", P("pat", "TODO", "api_key", "console.log", "deprecated", "FIXME", "localhost"))

T("git.ls_files", "git ls-files", """
list files tracked by git
which files are in the repo
""")

T("git.ls_untracked", "git ls-files --others --exclude-standard", """
list untracked files
which new files are not in git yet
""")

T("git.ignored", "git status --ignored", """
show ignored files
which files are gitignored
""")

T("git.check_ignore", "git check-ignore -v {file}", """
why is {file} ignored
which gitignore rule matches {file}
""", P("file", "build/app.js", ".env", "debug.log", "node_modules/x", "dist/index.html"))

T("git.gitignore_add", "echo '{pat}' >> .gitignore", """
ignore {pat} in git
add {pat} to gitignore
""", P("pat", "node_modules/", "*.log", ".env", "__pycache__/", "dist/", ".DS_Store"))

T("git.root", "git rev-parse --show-toplevel", """
root directory of this git repo
where is the top of the repository
""")

T("git.head_hash", "git rev-parse --short HEAD", """
current commit hash
short sha of HEAD
""")

T("git.largest_files", "git rev-list --objects --all | git cat-file --batch-check='%(objecttype) %(objectname) %(objectsize) %(rest)' | awk '$1 == \"blob\"' | sort -k3 -n | tail -n {n}", """
largest files in git history
which big blobs are bloating the repo
top {n} biggest objects in the repository
""", P("n", "10", "20", "5"))

T("git.config_user", "git config --global user.name '{name}' && git config --global user.email '{email}'", """
set my git name to {name} and email to {email}
configure git user {name} <{email}>
""", P("name email", "Alice Smith ; alice@example.com", "Bob Jones ; bob@example.org",
       "Dev Bot ; bot@example.net"))

T("git.config_list", "git config --list --show-origin", """
show my git configuration
list all git settings and where they come from
""")

T("git.config_editor", "git config --global core.editor '{editor}'", """
use {editor} as the git editor
change the editor git opens to {editor}
""", P("editor", "vim", "nano", "code --wait", "nvim"))

T("git.alias", "git config --global alias.{name} '{cmd}'", """
create a git alias {name} for {cmd}
make git {name} run git {cmd}
""", P("name cmd", "co checkout", "st status", "lg log --oneline --graph", "br branch"))

T("git.default_branch", "git config --global init.defaultBranch main", """
make main the default branch name for new repos
stop git from creating master branches
""")

T("git.credential_cache", "git config --global credential.helper 'cache --timeout=3600'", """
remember my git password for an hour
cache git credentials
""")

T("git.submodule_update", "git submodule update --init --recursive", """
initialize and update submodules
fetch all git submodules
""")

T("git.submodule_add", "git submodule add {url} {path}", """
add {url} as a submodule at {path}
include the repo {url} as a submodule
""", cross(REPO_URLS, P("path", "vendor/lib", "external/tool", "themes/site")))

T("git.worktree", "git worktree add ../{dir} {branch}", """
check out {branch} in a separate worktree
work on {branch} in another folder without switching
""", cross(P("dir", "hotfix", "review", "feature-wt"), BRANCHES))

T("git.bisect", "git bisect start && git bisect bad && git bisect good {rev}", """
find which commit introduced a bug, starting from good commit {rev}
start a git bisect with {rev} as the last good version
""", P("rev", "v1.0.0", "a1b2c3d", "HEAD~20", "v2.3.1"))

T("git.archive", "git archive --format=tar.gz -o {name}.tar.gz HEAD", """
export the repository as {name}.tar.gz without .git
create a tarball of the current commit
""", P("name", "release", "source", "project-1.0"))

T("git.patch_create", "git format-patch -{n}", """
make patch files from the last {n} commits
export my last {n} commits as patches
""", P("n", "1", "3", "5"))

T("git.patch_apply", "git am {patch}", """
apply the patch {patch} as a commit
import the mailbox patch {patch}
""", P("patch", "0001-fix.patch", "0001-add-feature.patch", "changes.patch"))

T("git.gc", "git gc --prune=now", """
clean up and compress the git repository
garbage collect git objects
""")

T("git.lfs_track", "git lfs track '*.{ext}'", """
track {ext} files with git lfs
store .{ext} files in LFS
""", P("ext", "psd", "mp4", "zip", "bin", "png"))
