"""Finding files: by name, size, age, type, permissions; acting on what was found."""

from ._dsl import (
    F,
    T,
    absent,
    count,
    exists,
    fixture,
    mode_is,
    out_number,
    out_paths,
    out_re,
    same,
    tree,
    unchanged,
)

T("find.name.txt-recursive",
  "list every .txt file in this folder and all of its subfolders",
  "find . -type f -name '*.txt'",
  [out_paths("todo.txt", "notes/meeting.txt", "notes/2023/q4/review.txt")],
  fixture(F("todo.txt", "buy milk\n"), F("notes/meeting.txt", "agenda\n"),
          F("notes/2023/q4/review.txt", "ok\n"), F("notes/summary.md", "# s\n"),
          F("archive.txt.bak", "old\n")),
  wrong=["ls *.txt", "find . -name '*.txt*'"])

T("find.iname.jpg",
  "find all jpg photos below here, whether the extension is written in capitals or not",
  "find . -type f -iname '*.jpg'",
  [out_paths("beach.jpg", "trip/IMG_0042.JPG", "trip/day2/sunset.Jpg")],
  fixture(F("beach.jpg", size=300), F("trip/IMG_0042.JPG", size=300),
          F("trip/day2/sunset.Jpg", size=300), F("trip/map.jpeg", size=300),
          F("scan.png", size=300)),
  wrong=["find . -name '*.jpg'"])

T("find.size.over-1m",
  "which files in this tree are larger than 1 megabyte?",
  "find . -type f -size +1M",
  [out_paths("video/intro.mp4", "backup.img")],
  fixture(F("video/intro.mp4", size=1_300_000), F("backup.img", size=1_100_000),
          F("video/thumb.png", size=600_000), F("readme.txt", "hi\n")),
  wrong=["find . -type f -size +100k"])

T("find.size.under-100-bytes",
  "show me the files under 100 bytes, including empty ones",
  "find . -type f -size -100c",
  [out_paths("flag", "stub.py", "short.txt")],
  fixture(F("flag", ""), F("stub.py", "pass\n"), F("short.txt", "x" * 60),
          F("config.ini", "a=1\n" * 40), F("data/table.csv", "1,2,3\n" * 300)),
  wrong=["find . -type f -size -1k"],
  notes="-size -1k rounds up to whole KiB, so it only finds empty files")

T("find.empty.files",
  "are there any zero-length files under this directory? list them",
  "find . -type f -empty",
  [out_paths("logs/today.log", "src/__init__.py")],
  fixture(F("logs/today.log", ""), F("logs/yesterday.log", "boot\n"), F("src/__init__.py", ""),
          F("src/app.py", "print(1)\n"), dirs=("cache",)),
  wrong=["find . -empty"])

T("find.empty.dirs",
  "list the folders that have nothing inside them",
  "find . -type d -empty",
  [out_paths("cache", "build/tmp", "uploads/2024")],
  fixture(F("build/app.bin", size=40), F("uploads/2023/a.png", size=40),
          dirs=("cache", "build/tmp", "uploads/2024")),
  wrong=["find . -type d"])

T("find.empty.dirs-delete",
  "remove all the empty folders below here but keep anything that has files in it",
  "find . -mindepth 1 -type d -empty -delete",
  [absent("old", "nested/inner"), exists("keep/report.txt", "file"), exists("keep", "dir"),
   unchanged("keep/report.txt")],
  fixture(F("keep/report.txt", "q3 numbers\n"), dirs=("old", "nested/inner")),
  wrong=["rm -r */"])

T("find.mtime.last-3-days",
  "what files did I change in the last 3 days?",
  "find . -type f -mtime -3",
  [out_paths("draft.md", "src/parser.c")],
  fixture(F("draft.md", "wip\n", days=0.5), F("src/parser.c", "int x;\n", days=2.5),
          F("src/lexer.c", "int y;\n", days=5.5), F("LICENSE", "MIT\n", days=40)),
  wrong=["find . -type f -mtime +3", "find . -type f -mtime -1"])

T("find.mtime.old-logs",
  "list the .log files in logs/ that are older than 30 days",
  "find logs -name '*.log' -mtime +30",
  [out_paths("logs/jan.log", "logs/archive/dec.log")],
  fixture(F("logs/jan.log", "a\n", days=45), F("logs/archive/dec.log", "b\n", days=80),
          F("logs/current.log", "c\n", days=2), F("logs/feb.log", "d\n", days=12),
          F("logs/ancient.txt", "e\n", days=200)),
  wrong=["find logs -mtime +30", "find logs -name '*.log' -mtime -30"])

T("find.delete.old-tmp",
  "delete the .tmp files that are more than a week old",
  "find . -name '*.tmp' -mtime +7 -delete",
  [absent("a.tmp", "cache/b.tmp"), exists("fresh.tmp", "file"), exists("cache/new.tmp", "file"),
   unchanged("old-notes.txt")],
  fixture(F("a.tmp", "x", days=10), F("cache/b.tmp", "x", days=30), F("fresh.tmp", "x", days=1),
          F("cache/new.tmp", "x", days=3), F("old-notes.txt", "keep me\n", days=60)),
  wrong=["find . -name '*.tmp' -delete", "find . -mtime +7 -delete"])

T("find.type.dirs",
  "show all subdirectories of this folder, at any depth, but no files",
  "find . -mindepth 1 -type d",
  [out_paths("src", "src/core", "src/ui", "docs", "docs/img")],
  fixture(F("src/core/a.c", "x"), F("src/ui/b.c", "x"), F("docs/img/c.png", "x"),
          F("Makefile", "all:\n")),
  wrong=["ls -d */", "find . -mindepth 1"])

T("find.perm.executable",
  "which files here can I execute?",
  "find . -type f -perm -u+x",
  [out_paths("run.sh", "bin/tool", "build.sh")],
  fixture(F("run.sh", "#!/bin/sh\n", mode="755"), F("build.sh", "#!/bin/sh\n", mode="744"),
          F("bin/tool", "#!/bin/sh\n", mode="700"), F("data.txt", "1\n", mode="644"),
          F("notes.md", "n\n", mode="664")),
  wrong=["find . -type f -perm 755"])

T("find.perm.world-writable",
  "are any files here world-writable? show them",
  "find . -type f -perm -o+w",
  [out_paths("shared/upload.dat", "public.txt")],
  fixture(F("shared/upload.dat", "x", mode="666"), F("public.txt", "x", mode="646"),
          F("private.txt", "x", mode="600"), F("group.txt", "x", mode="664")),
  wrong=["find . -type f -perm -g+w"])

T("find.type.symlinks",
  "which entries below here are symlinks?",
  "find . -type l",
  [out_paths("current", "lib/libfoo.so", "latest.log")],
  fixture(F("releases/v2/app", "bin"), F("lib/libfoo.so.1.2", "elf"), F("logs/2024.log", "l"),
          links={"current": "releases/v2", "lib/libfoo.so": "libfoo.so.1.2",
                 "latest.log": "logs/2024.log"}),
  wrong=["find . -type f"])

T("find.symlinks.broken",
  "some links here are dead because their target was removed; list those",
  "find . -xtype l",
  [out_paths("old-config", "plugins/legacy")],
  fixture(F("config.yml", "a: 1\n"), F("plugins/real.so", "x"),
          links={"config": "config.yml", "old-config": "config.yml.orig",
                 "plugins/legacy": "../gone/legacy.so", "plugins/ok": "real.so"}),
  wrong=["find . -type l"])

T("find.name-and-size.logs",
  "find .log files bigger than 10 kilobytes",
  "find . -type f -name '*.log' -size +10k",
  [out_paths("app.log", "srv/server.log")],
  fixture(F("app.log", size=20_000), F("old.log", size=5_000), F("dump.txt", size=50_000),
          F("srv/server.log", size=30_000), F("srv/tiny.log", size=100)),
  wrong=["find . -name '*.log'", "find . -type f -size +10k"])

T("find.count.python",
  "how many python files are in this project?",
  "find . -type f -name '*.py' | wc -l",
  [out_number(4)],
  fixture(F("setup.py", "x"), F("pkg/__init__.py", ""), F("pkg/core.py", "x"),
          F("tests/test_core.py", "x"), F("README.md", "x"), F("pkg/data.json", "{}"),
          F("pkg/core.pyc", "x")),
  wrong=["ls *.py | wc -l", "find . -name '*.py*' | wc -l"])

T("find.newer-than-file",
  "which files have been modified more recently than config.yaml?",
  "find . -type f -newer config.yaml",
  [out_paths("main.go", "handlers/user.go")],
  fixture(F("config.yaml", "port: 80\n", days=5), F("main.go", "package main\n", days=2),
          F("handlers/user.go", "package h\n", days=1), F("go.mod", "module x\n", days=10),
          F("handlers/auth.go", "package h\n", days=20)),
  wrong=["find . -type f -mtime -5"])

T("find.maxdepth.conf",
  "list only the .conf files sitting directly in this folder, don't look in subfolders",
  "find . -maxdepth 1 -type f -name '*.conf'",
  [out_paths("nginx.conf", "redis.conf")],
  fixture(F("nginx.conf", "x"), F("redis.conf", "x"), F("sites/default.conf", "x"),
          F("readme.txt", "x")),
  wrong=["find . -name '*.conf'"])

T("find.prune.node-modules",
  "find all the .js files but skip anything inside node_modules",
  "find . -path ./node_modules -prune -o -type f -name '*.js' -print",
  [out_paths("index.js", "src/app.js", "src/lib/util.js")],
  fixture(F("index.js", "x"), F("src/app.js", "x"), F("src/lib/util.js", "x"),
          F("node_modules/left-pad/index.js", "x"), F("node_modules/.bin/cli.js", "x"),
          F("src/style.css", "x")),
  wrong=["find . -name '*.js'"])

T("find.exec.chmod-scripts",
  "make every .sh script under scripts/ executable, including the ones in its subfolders",
  "find scripts -name '*.sh' -exec chmod +x {} +",
  [mode_is("scripts/deploy.sh", set_bits="100"), mode_is("scripts/ci/test.sh", set_bits="100"),
   mode_is("scripts/ci/lint.sh", set_bits="100"), mode_is("scripts/README", clear="111"),
   mode_is("top.sh", clear="111")],
  fixture(F("scripts/deploy.sh", "#!/bin/sh\n", mode="644"),
          F("scripts/ci/test.sh", "#!/bin/sh\n", mode="644"),
          F("scripts/ci/lint.sh", "#!/bin/sh\n", mode="644"),
          F("scripts/README", "docs\n", mode="644"), F("top.sh", "#!/bin/sh\n", mode="644")),
  wrong=["chmod +x scripts/*.sh", "chmod -R +x scripts"])

T("find.largest-file",
  "what's the single biggest file anywhere under this directory?",
  "find . -type f -printf '%s %p\\n' | sort -n | tail -n 1",
  [out_re(r"video\.mp4", absent=["song.mp3", "notes.txt", "cover.png"])],
  fixture(F("media/video.mp4", size=900_000), F("media/song.mp3", size=400_000),
          F("notes.txt", size=2_000), F("art/cover.png", size=500_000)),
  wrong=["ls -S | head -n 1", "find . -type f | head -n 1"])

T("find.delete.pyc",
  "get rid of all the compiled .pyc files in this project",
  "find . -name '*.pyc' -delete",
  [count("**/*.pyc", 0), unchanged("app/main.py", "app/util.py")],
  fixture(F("app/main.py", "print('hi')\n"), F("app/util.py", "X = 1\n"),
          F("app/main.pyc", size=200), F("app/__pycache__/util.cpython-311.pyc", size=200),
          F("legacy.pyc", size=200)),
  wrong=["rm *.pyc"])

T("find.name.exact",
  "where is the file called settings.json?",
  "find . -name settings.json",
  [out_paths("config/app/settings.json")],
  fixture(F("config/app/settings.json", "{}"), F("config/app/settings.json.bak", "{}"),
          F("config/defaults.json", "{}")),
  wrong=["find . -name '*settings*'"])

T("find.hidden.top",
  "show the hidden files and folders in this directory",
  "ls -d .[!.]*",
  [out_paths(".env", ".gitignore", ".config")],
  fixture(F(".env", "A=1\n"), F(".gitignore", "*.o\n"), F(".config/tool.toml", "x"),
          F("visible.txt", "x"), F("src/.hidden-inside", "x")),
  wrong=["find . -name '.*'"])

T("find.size.range",
  "list files between 1 and 5 kilobytes in size",
  "find . -type f -size +1k -size -5k",
  [out_paths("b.dat", "c.dat")],
  fixture(F("a.dat", size=500), F("b.dat", size=2_000), F("c.dat", size=3_000),
          F("d.dat", size=9_000)),
  wrong=["find . -type f -size -5k"])

T("find.mmin.30",
  "has anything been touched in the last half hour? list those files",
  "find . -type f -mmin -30",
  [out_paths("build.log", "src/edit.c")],
  fixture(F("build.log", "x", minutes=10), F("src/edit.c", "x", minutes=20),
          F("src/stable.c", "x", hours=2), F("Makefile", "x", days=3)),
  wrong=["find . -type f -mtime -1"])

T("find.delete.pycache-dirs",
  "find every __pycache__ folder and delete it together with its contents",
  "find . -type d -name __pycache__ -prune -exec rm -rf {} +",
  [count("**/__pycache__", 0), unchanged("pkg/mod.py", "pkg/sub/x.py")],
  fixture(F("pkg/mod.py", "x=1\n"), F("pkg/__pycache__/mod.cpython-311.pyc", size=100),
          F("pkg/sub/x.py", "y=2\n"), F("pkg/sub/__pycache__/x.cpython-311.pyc", size=100)),
  wrong=["rm -rf __pycache__"])

T("find.copy.pdfs",
  "copy all the .pdf files from anywhere under here into a new folder called pdfs",
  "mkdir -p pdfs && find . -path ./pdfs -prune -o -type f -name '*.pdf' -exec cp {} pdfs/ \\;",
  [tree("pdfs", "invoice.pdf", "report.pdf", "scan.pdf"),
   same("pdfs/report.pdf", "work/report.pdf"),
   unchanged("invoice.pdf", "work/report.pdf", "home/scans/scan.pdf")],
  fixture(F("invoice.pdf", "%PDF invoice"), F("work/report.pdf", "%PDF report"),
          F("home/scans/scan.pdf", "%PDF scan"), F("work/report.docx", "doc")),
  wrong=["mkdir -p pdfs && cp *.pdf pdfs/"])

T("find.move.png",
  "move every .png in this folder into a folder named images (create it)",
  "mkdir -p images && mv ./*.png images/",
  [tree("images", "logo.png", "banner.png"), same("images/logo.png", "logo.png"),
   *absent("logo.png", "banner.png"), unchanged("icon.svg", "old/screen.png")],
  fixture(F("logo.png", "png1"), F("banner.png", "png2"), F("icon.svg", "<svg/>"),
          F("old/screen.png", "png3")),
  wrong=["mkdir -p images && find . -name '*.png' -exec mv {} images/ \\;"])

T("find.files-count-per-ext",
  "how many .md files are there under docs?",
  "find docs -type f -name '*.md' | wc -l",
  [out_number(3)],
  fixture(F("docs/index.md", "x"), F("docs/guide/setup.md", "x"), F("docs/guide/faq.md", "x"),
          F("docs/logo.svg", "x"), F("README.md", "x")),
  wrong=["find . -name '*.md' | wc -l"])

T("find.list-dirs-top",
  "which entries right here are directories? names only, no files",
  "find . -mindepth 1 -maxdepth 1 -type d",
  [out_paths("bin", "etc", "var")],
  fixture(F("bin/a", "x"), F("etc/b", "x"), F("var/log/c", "x"), F("file.txt", "x")),
  wrong=["ls", "find . -type d"])

