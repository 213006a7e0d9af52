"""Making, copying, moving, linking, deleting and renaming files; permissions; timestamps."""

from ._dsl import (
    D,
    F,
    T,
    absent,
    count,
    exists,
    fixture,
    fresh,
    hardlink,
    link,
    mode_is,
    same,
    size_is,
    tree,
    unchanged,
)

T("mkdir.nested",
  "create the folder structure src/main/java/com/acme in one go",
  "mkdir -p src/main/java/com/acme",
  [exists("src/main/java/com/acme", "dir")],
  fixture(F("pom.xml", "<project/>\n")),
  wrong=["mkdir src/main/java/com/acme"])

T("mkdir.several",
  "make three folders here named in, out and tmp",
  "mkdir in out tmp",
  [exists("in", "dir"), exists("out", "dir"), exists("tmp", "dir")],
  fixture(F("job.yml", "steps: []\n")),
  wrong=["mkdir in,out,tmp"])

T("mkdir.brace-months",
  "create folders 01 through 12 inside a folder called 2024",
  "mkdir -p 2024/{01..12}",
  [count("2024/*", 12, "dir"), exists("2024/01", "dir"), exists("2024/12", "dir")],
  fixture(F("notes.txt", "plan\n")),
  wrong=["mkdir -p 2024/{1..12}", "mkdir -p 2024/01"])

T("cp.recursive.backup",
  "copy the whole config directory to config.bak",
  "cp -r config config.bak",
  [tree("config.bak", "app.yml", "db/main.yml", "db/replica.yml"),
   same("config.bak/db/main.yml", "config/db/main.yml"), unchanged("config/app.yml")],
  fixture(F("config/app.yml", "name: shop\n"), F("config/db/main.yml", "host: a\n"),
          F("config/db/replica.yml", "host: b\n")),
  wrong=["cp config config.bak", "mv config config.bak"])

T("cp.preserve-times",
  "copy photo.raw to the archive folder keeping its original modification time",
  "cp -p photo.raw archive/",
  [same("archive/photo.raw", "photo.raw"),
   {"check": "probe", "command": "test archive/photo.raw -nt photo.raw || "
    "test photo.raw -nt archive/photo.raw || echo same", "mode": "exact", "expect": "same"}],
  fixture(F("photo.raw", size=2_000, days=100), dirs=("archive",)),
  wrong=["cp photo.raw archive/"])

T("cp.no-overwrite",
  "copy every .txt file from incoming into library, but never overwrite a file that's "
  "already in library",
  "cp -n incoming/*.txt library/",
  [same("library/a.txt", "library/a.txt"), same("library/b.txt", "incoming/b.txt"),
   same("library/c.txt", "incoming/c.txt")],
  fixture(F("incoming/a.txt", "NEW a\n"), F("incoming/b.txt", "b\n"), F("incoming/c.txt", "c\n"),
          F("library/a.txt", "OLD a\n")),
  wrong=["cp incoming/*.txt library/"])

T("mv.rename-one",
  "draft.md is done: give it the name final.md instead",
  "mv draft.md final.md",
  [same("final.md", "draft.md"), *absent("draft.md")],
  fixture(F("draft.md", "# Report\nDone.\n")),
  wrong=["cp draft.md final.md"])

T("mv.ext-bulk",
  "change the extension of every .jpeg file in this folder to .jpg",
  "for f in *.jpeg; do mv -- \"$f\" \"${f%.jpeg}.jpg\"; done",
  [tree(".", "beach.jpg", "city lights.jpg", "dog.jpg", "cat.png"),
   same("city lights.jpg", "city lights.jpeg")],
  fixture(F("beach.jpeg", "1"), F("city lights.jpeg", "2"), F("dog.jpeg", "3"), F("cat.png", "4")),
  wrong=["for f in *.jpeg; do mv $f ${f%.jpeg}.jpg; done", "mv *.jpeg *.jpg"],
  notes="one name has a space: unquoted expansions break it")

T("mv.lowercase-names",
  "rename all files in this folder to lowercase names",
  "for f in *; do n=$(printf '%s' \"$f\" | tr '[:upper:]' '[:lower:]'); "
  "[ \"$f\" = \"$n\" ] || mv -- \"$f\" \"$n\"; done",
  [tree(".", "readme.txt", "photo.jpg", "notes.md"), same("readme.txt", "README.TXT")],
  fixture(F("README.TXT", "r"), F("Photo.JPG", "p"), F("notes.md", "n")),
  wrong=["for f in *; do mv \"$f\" \"$f\"; done"])

T("mv.prefix-add",
  "add the prefix 2024_ to the name of every .csv file here",
  "for f in *.csv; do mv -- \"$f\" \"2024_$f\"; done",
  [tree(".", "2024_sales.csv", "2024_costs.csv", "summary.txt"),
   same("2024_sales.csv", "sales.csv")],
  fixture(F("sales.csv", "s"), F("costs.csv", "c"), F("summary.txt", "t")),
  wrong=["for f in *; do mv -- \"$f\" \"2024_$f\"; done"])

T("mv.spaces-to-underscores",
  "replace spaces with underscores in the names of the files in this folder",
  "for f in *\\ *; do mv -- \"$f\" \"${f// /_}\"; done",
  [tree(".", "my_cv.pdf", "holiday_plan_2024.txt", "plain.txt"),
   same("holiday_plan_2024.txt", "holiday plan 2024.txt")],
  fixture(F("my cv.pdf", "cv"), F("holiday plan 2024.txt", "plan"), F("plain.txt", "p")),
  wrong=["for f in *; do mv -- \"$f\" \"${f/ /_}\"; done"])

T("mv.number-sequence",
  "rename the .png files here to img_1.png, img_2.png, ... in alphabetical order",
  "i=1; for f in *.png; do mv -- \"$f\" \"img_$i.png\"; i=$((i+1)); done",
  [tree(".", "img_1.png", "img_2.png", "img_3.png"), same("img_1.png", "alpha.png"),
   same("img_3.png", "gamma.png")],
  fixture(F("beta.png", "b"), F("alpha.png", "a"), F("gamma.png", "g")),
  wrong=["i=1; for f in *.png; do cp -- \"$f\" \"img_$i.png\"; i=$((i+1)); done"])

T("mv.into-dirs-by-ext",
  "sort the files here into folders by extension: pdfs into pdf/, images (.png) into png/",
  "mkdir -p pdf png && mv ./*.pdf pdf/ && mv ./*.png png/",
  [tree(".", "pdf/a.pdf", "pdf/b.pdf", "png/c.png", "keep.txt")],
  fixture(F("a.pdf", "a"), F("b.pdf", "b"), F("c.png", "c"), F("keep.txt", "k")),
  wrong=["mkdir -p pdf png && cp ./*.pdf pdf/ && cp ./*.png png/"])

T("rm.by-pattern",
  "delete all the .bak files in this folder (not in subfolders)",
  "rm -f ./*.bak",
  [*absent("a.bak", "b.bak"), exists("old/c.bak", "file"), unchanged("a.txt")],
  fixture(F("a.bak", "x"), F("b.bak", "y"), F("a.txt", "keep"), F("old/c.bak", "z")),
  wrong=["find . -name '*.bak' -delete", "rm -f a.bak"])

T("rm.dir-recursive",
  "delete the build directory and everything in it",
  "rm -rf build",
  [*absent("build"), unchanged("src/main.c")],
  fixture(F("build/obj/main.o", size=100), F("build/app", size=100), F("src/main.c", "int m;\n")),
  wrong=["rmdir build", "rm -rf build/*"])

T("rm.all-but-one",
  "delete everything in the downloads folder except installer.deb",
  "find downloads -mindepth 1 -maxdepth 1 ! -name installer.deb -exec rm -rf {} +",
  [tree("downloads", "installer.deb"), unchanged("downloads/installer.deb")],
  fixture(F("downloads/installer.deb", size=500), F("downloads/a.zip", size=10),
          F("downloads/movie.mkv", size=10), F("downloads/sub/x.txt", "x")),
  wrong=["rm -rf downloads", "rm -f downloads/*.zip"])

T("ln.symlink",
  "create a symbolic link called latest pointing to releases/v3.2",
  "ln -s releases/v3.2 latest",
  [link("latest", "releases/v3.2"), exists("releases/v3.2", "dir")],
  fixture(F("releases/v3.1/app", "old"), F("releases/v3.2/app", "new")),
  wrong=["cp -r releases/v3.2 latest", "ln -s releases/v3.1 latest"])

T("ln.symlink-replace",
  "repoint the current symlink so it points to v2 instead of v1",
  "ln -sfn v2 current",
  [link("current", "v2")],
  fixture(F("v1/app", "1"), F("v2/app", "2"), links={"current": "v1"}),
  wrong=["ln -s v2 current"],
  notes="without -n, ln follows the old link into v1 and creates v1/v2")

T("ln.hard",
  "make a hard link named data-link.bin to data.bin",
  "ln data.bin data-link.bin",
  [hardlink("data-link.bin", "data.bin")],
  fixture(F("data.bin", size=1000)),
  wrong=["ln -s data.bin data-link.bin", "cp data.bin data-link.bin"])

T("chmod.exec-user",
  "backup.sh won't run because it lacks the execute bit; fix that",
  "chmod +x backup.sh",
  [mode_is("backup.sh", set_bits="100"), unchanged("backup.sh")],
  fixture(F("backup.sh", "#!/bin/sh\ntar -czf b.tgz data\n", mode="644")),
  wrong=["chmod 644 backup.sh", "chmod -x backup.sh"])

T("chmod.private-key",
  "set id_ed25519 so only I can read and write it, nobody else can do anything",
  "chmod 600 id_ed25519",
  [mode_is("id_ed25519", "600")],
  fixture(F("id_ed25519", "-----BEGIN KEY-----\n", mode="644")),
  wrong=["chmod 644 id_ed25519", "chmod 700 id_ed25519"])

T("chmod.recursive-dirs",
  "give every directory under www the permissions 755 and every file 644",
  "find www -type d -exec chmod 755 {} + && find www -type f -exec chmod 644 {} +",
  [mode_is("www", "755"), mode_is("www/css", "755"), mode_is("www/index.html", "644"),
   mode_is("www/css/site.css", "644"), mode_is("www/cgi/run.py", "644")],
  fixture(F("www/index.html", "<p>", mode="600"), F("www/css/site.css", "p{}", mode="666"),
          F("www/cgi/run.py", "print()", mode="777"), dirs=(D("www/css", mode="700"),)),
  wrong=["chmod -R 755 www", "chmod -R 644 www/*.html"])

T("chmod.remove-group-other-write",
  "shared.txt should not be writable by my group or by anyone else",
  "chmod go-w shared.txt",
  [mode_is("shared.txt", "644")],
  fixture(F("shared.txt", "data\n", mode="666")),
  wrong=["chmod a-w shared.txt"])

T("touch.create-empty",
  "create an empty file named .nojekyll",
  "touch .nojekyll",
  [exists(".nojekyll", "file"), size_is(".nojekyll", 0)],
  fixture(F("index.html", "<p>site</p>\n")),
  wrong=["mkdir .nojekyll"])

T("touch.update-time",
  "update the modification time of Makefile to now without changing it",
  "touch Makefile",
  [fresh("Makefile"), unchanged("Makefile")],
  fixture(F("Makefile", "all:\n\techo hi\n", days=30)),
  wrong=["cat Makefile", "touch makefile"])

T("split.lines",
  "chop big.csv into several files holding 100 lines apiece",
  "split -l 100 big.csv part_",
  [{"check": "probe", "command": "cat $(ls | grep -v '^big.csv$' | sort) | cmp - big.csv "
    "&& ls | grep -vc '^big.csv$'", "mode": "number", "expect": 3},
   unchanged("big.csv")],
  fixture(F("big.csv", "".join(f"{i},value{i}\n" for i in range(250)))),
  wrong=["split -l 200 big.csv part_", "head -n 100 big.csv > part_aa"])

T("truncate.empty-log",
  "empty out server.log without deleting the file",
  "truncate -s 0 server.log",
  [exists("server.log", "file"), size_is("server.log", 0)],
  fixture(F("server.log", "noise\n" * 1000, mode="640")),
  wrong=["rm server.log", "echo > server.log"],
  notes="`truncate -s 0`, `> server.log` and `: > server.log` all leave an empty file; "
        "`echo >` leaves a newline")

T("cp.structure-only",
  "recreate the folder structure of src under mirror, without copying any files",
  "find src -type d -exec sh -c 'mkdir -p \"mirror/${1#src}\"' _ {} \\;",
  [tree("mirror", "a/", "a/b/", "c/", dirs=True)],
  fixture(F("src/a/b/x.txt", "x"), F("src/c/y.txt", "y"), F("src/top.txt", "t")),
  wrong=["cp -r src mirror"])

T("rm.empty-files",
  "delete the files in this folder tree that are completely empty",
  "find . -type f -empty -delete",
  [*absent("blank.txt", "sub/nothing.log"), unchanged("full.txt", "sub/data.log")],
  fixture(F("blank.txt", ""), F("full.txt", "content\n"), F("sub/nothing.log", ""),
          F("sub/data.log", "1\n")),
  wrong=["find . -type f -empty -name '*.txt' -delete"])

