"""git on a small fixture repository with fixed authors and dates."""

from ._dsl import (
    F,
    T,
    commit,
    exists,
    file_is,
    fixture,
    out_has,
    out_number,
    out_paths,
    out_re,
    probe,
    repo,
    unchanged,
)

APP_V1 = "def main():\n    print('hello')\n"
APP_V2 = "def main():\n    print('hello, world')\n"
README_V1 = "# Shop\nA tiny shpo.\n"
README_V2 = "# Shop\nA tiny shop.\n"


def history(head: str = "main", stage: tuple[str, ...] = ()) -> dict:
    """Five commits on main by three people, a feature branch with one more, a tag."""
    return repo(
        commit("Initial commit", {"README.md": README_V1, "app.py": APP_V1},
               date="2024-01-10T09:00", author="Ann Lee <ann@example.com>"),
        commit("Add config loader", {"config.py": "DEBUG = False\n"},
               date="2024-01-12T14:30", author="Ben Ortiz <ben@example.com>"),
        commit("Fix typo in README", {"README.md": README_V2},
               date="2024-01-15T11:00", author="Ann Lee <ann@example.com>"),
        commit("Add tests", {"tests/test_app.py": "def test_main():\n    pass\n"},
               date="2024-02-02T10:00", author="Cara Diaz <cara@example.com>"),
        commit("Bump version to 1.1", {"version.txt": "1.1\n"},
               date="2024-02-05T16:45", author="Ben Ortiz <ben@example.com>"),
        commit("Add login page", {"login.py": "def login():\n    return True\n"},
               date="2024-02-07T12:00", author="Cara Diaz <cara@example.com>",
               branch="feature/login"),
        branches={"hotfix": 3}, tags={"v1.0": 1}, head=head, stage=stage)


def dirty(*extra: dict, head: str = "main", stage: tuple[str, ...] = ()) -> dict:
    """The history plus uncommitted work: two modified files and two untracked ones."""
    return fixture(F("app.py", APP_V2), F("config.py", "DEBUG = True\n"),
                   F("new.txt", "scratch\n"), F("notes/idea.md", "idea\n"), *extra,
                   git=history(head, stage))


T("git.status.modified",
  "which tracked files have I changed but not committed yet?",
  "git diff --name-only",
  [out_has("app.py", "config.py", absent=["README.md", "version.txt"])],
  dirty(),
  wrong=["git log -1 --name-only", "git ls-files"])

T("git.log.last-3",
  "show the messages of the last three commits, one line each",
  "git log --oneline -3",
  [out_re(r"(?s)Bump version to 1\.1.*Add tests.*Fix typo in README",
          absent=["Initial commit", "Add config loader", "Add login page"])],
  fixture(git=history()),
  wrong=["git log --oneline", "git log --oneline -3 --reverse"])

T("git.count.commits",
  "how many commits does the current branch have?",
  "git rev-list --count HEAD",
  [out_number(5)],
  fixture(git=history()),
  wrong=["git rev-list --count --all", "git branch | wc -l"])

T("git.branch.current",
  "which git branch am I on right now?",
  "git branch --show-current",
  [out_re(r"hotfix", absent=["feature/login"])],
  fixture(git=history(head="hotfix")),
  wrong=["git branch -a | head -n 1", "git tag"])

T("git.branch.list",
  "list all the local branches in this repo",
  "git branch",
  [out_has("main", "feature/login", "hotfix")],
  fixture(git=history()),
  wrong=["git branch --show-current"])

T("git.branch.create-switch",
  "start working on a fresh branch named fix/header",
  "git switch -c fix/header",
  [probe("git branch --show-current", "exact", "fix/header"),
   probe("git rev-parse HEAD main | uniq | wc -l", "number", 1)],
  fixture(git=history()),
  wrong=["git branch fix/header", "git checkout fix/header"])

T("git.commit.all",
  "commit all my changes, including new files, with the message 'update docs'",
  "git add -A && git commit -q -m 'update docs'",
  [probe("git log -1 --format=%s", "exact", "update docs"),
   probe("git status --porcelain", "empty"),
   probe("git rev-list --count HEAD", "number", 6)],
  dirty(),
  wrong=["git commit -a -m 'update docs'", "git add -A"],
  notes="commit -a leaves the untracked files out")

T("git.diff.staged",
  "show me what I've staged for the next commit",
  "git diff --cached",
  [out_re(r"(?m)^\+DEBUG = True$", absent=["hello, world"])],
  dirty(stage=("config.py",)),
  wrong=["git diff", "git diff HEAD~1"])

T("git.log.author",
  "list the commits Ben made",
  "git log --author=Ben --oneline",
  [out_re(r"(?s)Bump version to 1\.1.*Add config loader",
          absent=["Add tests", "Initial commit", "Fix typo"])],
  fixture(git=history()),
  wrong=["git log --oneline"])

T("git.log.file-history",
  "which commits changed README.md?",
  "git log --oneline -- README.md",
  [out_has("Fix typo in README", "Initial commit",
           absent=["Add config loader", "Add tests", "Bump version"])],
  fixture(git=history()),
  wrong=["git log --oneline -3"])

T("git.show.last-files",
  "which files did the most recent commit touch?",
  "git show --name-only --format= HEAD",
  [out_paths("version.txt")],
  fixture(git=history()),
  wrong=["git ls-files", "git show --name-only --format= HEAD~1"])

T("git.diff.branch-files",
  "which files are different between main and the feature/login branch?",
  "git diff --name-only main feature/login",
  [out_paths("login.py")],
  fixture(git=history()),
  wrong=["git diff --name-only main hotfix"])

T("git.tag.create",
  "mark this commit with the tag v1.2.0",
  "git tag v1.2.0",
  [probe("test \"$(git rev-parse --verify -q 'refs/tags/v1.2.0^{commit}')\" = "
         "\"$(git rev-parse HEAD)\" && echo ok", "exact", "ok")],
  fixture(git=history()),
  wrong=["git tag v1.2.0 HEAD~1", "git branch v1.2.0 && git tag"])

T("git.restore.file",
  "throw away my uncommitted changes to app.py, keep the other changes",
  "git checkout -- app.py",
  [file_is("app.py", "exact", APP_V1), file_is("config.py", "exact", "DEBUG = True\n"),
   exists("new.txt", "file")],
  dirty(),
  wrong=["git reset --hard", "git stash"])

T("git.log.since-date",
  "what commits were made since February 1st, 2024?",
  "git log --since=2024-02-01 --oneline",
  [out_has("Add tests", "Bump version to 1.1",
           absent=["Fix typo", "Initial commit", "Add config loader"])],
  fixture(git=history()),
  wrong=["git log --until=2024-02-01 --oneline"])

T("git.untracked.list",
  "list the files git isn't tracking yet",
  "git ls-files --others --exclude-standard",
  [out_paths("new.txt", "notes/idea.md")],
  dirty(),
  wrong=["git ls-files", "git diff --name-only"])

T("git.ignore.logs",
  "make git ignore all .log files in this repo",
  "echo '*.log' >> .gitignore",
  [probe("git check-ignore -q debug.log && git check-ignore -q logs/run.log && echo ignored",
         "exact", "ignored"),
   probe("git check-ignore -q app.py || echo tracked", "exact", "tracked")],
  fixture(F("debug.log", "x\n"), F("logs/run.log", "y\n"), git=history()),
  wrong=["rm debug.log logs/run.log", "echo 'log' >> .gitignore"])

T("git.last-author",
  "who made the last commit here?",
  "git log -1 --format='%an <%ae>'",
  [out_re(r"Ben", absent=["Ann", "Cara"])],
  fixture(git=history()),
  wrong=["git log --format='%an' | tail -n 1"])

T("git.unstage",
  "unstage config.py but keep my edits to it",
  "git restore --staged config.py",
  [probe("git diff --cached --name-only", "empty"),
   file_is("config.py", "exact", "DEBUG = True\n")],
  dirty(stage=("config.py",)),
  wrong=["git checkout -- config.py", "git rm --cached config.py"])

T("git.amend.message",
  "change the message of my last commit to 'Bump version to 1.1.0'",
  "git commit --amend -q -m 'Bump version to 1.1.0'",
  [probe("git log -1 --format=%s", "exact", "Bump version to 1.1.0"),
   probe("git rev-list --count HEAD", "number", 5)],
  fixture(git=history()),
  wrong=["git commit --allow-empty -m 'Bump version to 1.1.0'"])

T("git.init",
  "turn this folder into a git repository",
  "git init -q",
  [exists(".git", "dir"), probe("git rev-parse --is-inside-work-tree", "exact", "true"),
   unchanged("main.c")],
  fixture(F("main.c", "int main(void) { return 0; }\n")),
  wrong=["mkdir .git"])

T("git.diff.word-count",
  "how many files did the commit 'Add tests' add or change?",
  "git show --name-only --format= :/'Add tests' | wc -l",
  [out_number(1)],
  fixture(git=history()),
  wrong=["git ls-files | wc -l"])

T("git.tag.list",
  "what tags does this repository have?",
  "git tag",
  [out_has("v1.0", absent=["hotfix"])],
  fixture(git=history()),
  wrong=["git branch"])
