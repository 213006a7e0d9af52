"""Archives and compression: tar, gzip, bzip2, xz, zip/unzip."""

import base64
import gzip
import io
import tarfile
import zipfile

from ._dsl import (
    F,
    T,
    absent,
    archive,
    exists,
    file_is,
    fixture,
    gz_is,
    out_paths,
    out_re,
    tree,
    unchanged,
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _targz(members: dict[str, str]) -> str:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, text in members.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 1_700_000_000, 0o644
            tar.addfile(info, io.BytesIO(data))
    # gzip stamps the time into its header unless told otherwise: keep the output stable.
    return _b64(gzip.compress(buffer.getvalue(), mtime=0))


def _zip(members: dict[str, str]) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive_file:
        for name, text in members.items():
            archive_file.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), text)
    return _b64(buffer.getvalue())


SITE = (F("site/index.html", "<h1>home</h1>\n"), F("site/css/main.css", "body{}\n"),
        F("site/js/app.js", "run();\n"))
RELEASE = {"release/bin/app": "#!/bin/sh\necho app\n", "release/README": "read me\n",
           "release/conf/app.toml": "port = 9000\n"}

T("tar.create.gz",
  "pack the site folder into a gzipped tarball called site.tar.gz",
  "tar -czf site.tar.gz site",
  [archive("site.tar.gz", "tar.gz", "site/index.html", "site/css/main.css", "site/js/app.js",
           top_optional=True), unchanged("site/index.html")],
  fixture(*SITE),
  wrong=["tar -cf site.tar.gz site", "zip -r site.tar.gz site"])

T("tar.extract.gz",
  "unpack release.tar.gz here",
  "tar -xzf release.tar.gz",
  [file_is("release/conf/app.toml", "exact", "port = 9000\n"),
   file_is("release/bin/app", "exact", RELEASE["release/bin/app"]), exists("release/README")],
  fixture({"path": "release.tar.gz", "b64": _targz(RELEASE)}),
  wrong=["tar -tzf release.tar.gz", "gunzip release.tar.gz"])

T("tar.list",
  "what files does backup.tar.gz contain? don't unpack it",
  "tar -tzf backup.tar.gz",
  [out_paths("home/notes.txt", "home/todo.txt", "etc/hosts")],
  fixture({"path": "backup.tar.gz", "b64": _targz({"home/notes.txt": "n\n",
                                                   "home/todo.txt": "t\n",
                                                   "etc/hosts": "127.0.0.1 x\n"})}),
  wrong=["tar -xzf backup.tar.gz"])

T("tar.extract.into-dir",
  "extract release.tar.gz into a new folder called deploy",
  "mkdir -p deploy && tar -xzf release.tar.gz -C deploy",
  [tree("deploy", "release/bin/app", "release/README", "release/conf/app.toml"),
   *absent("release")],
  fixture({"path": "release.tar.gz", "b64": _targz(RELEASE)}),
  wrong=["tar -xzf release.tar.gz"])

T("tar.extract.one-file",
  "get just release/conf/app.toml out of release.tar.gz, nothing else",
  "tar -xzf release.tar.gz release/conf/app.toml",
  [file_is("release/conf/app.toml", "exact", "port = 9000\n"), *absent("release/README",
                                                                      "release/bin/app")],
  fixture({"path": "release.tar.gz", "b64": _targz(RELEASE)}),
  wrong=["tar -xzf release.tar.gz"])

T("tar.exclude",
  "make project.tar.gz of the project folder but leave out the node_modules directory",
  "tar --exclude=node_modules -czf project.tar.gz project",
  [archive("project.tar.gz", "tar.gz", "project/package.json", "project/src/index.js",
           top_optional=True)],
  fixture(F("project/package.json", "{}\n"), F("project/src/index.js", "x\n"),
          F("project/node_modules/dep/index.js", "dep\n")),
  wrong=["tar -czf project.tar.gz project"])

T("tar.bz2.create",
  "compress the logs directory into logs.tar.bz2",
  "tar -cjf logs.tar.bz2 logs",
  [archive("logs.tar.bz2", "tar.bz2", "logs/a.log", "logs/b.log", top_optional=True)],
  fixture(F("logs/a.log", "a\n" * 50), F("logs/b.log", "b\n" * 50)),
  wrong=["tar -czf logs.tar.bz2 logs"])

T("tar.xz.create",
  "create an xz-compressed tar archive data.tar.xz of the data folder",
  "tar -cJf data.tar.xz data",
  [archive("data.tar.xz", "tar.xz", "data/x.csv", "data/y.csv", top_optional=True)],
  fixture(F("data/x.csv", "1,2\n"), F("data/y.csv", "3,4\n")),
  wrong=["tar -czf data.tar.xz data"])

T("gzip.keep-original",
  "gzip dump.sql but keep the uncompressed file as well",
  "gzip -k dump.sql",
  [gz_is("dump.sql.gz", "exact", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n"),
   unchanged("dump.sql")],
  fixture(F("dump.sql", "CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n")),
  wrong=["gzip dump.sql", "tar -czf dump.sql.gz dump.sql"])

T("gzip.compress-each",
  "compress every .log file in this folder with gzip, one .gz per file",
  "gzip ./*.log",
  [gz_is("a.log.gz", "exact", "alpha\n"), gz_is("b.log.gz", "exact", "beta\n"),
   *absent("a.log", "b.log"), unchanged("keep.txt")],
  fixture(F("a.log", "alpha\n"), F("b.log", "beta\n"), F("keep.txt", "k\n")),
  wrong=["tar -czf logs.tar.gz ./*.log", "gzip keep.txt"])

T("gzip.decompress",
  "decompress report.csv.gz",
  "gunzip report.csv.gz",
  [file_is("report.csv", "exact", "q,revenue\nq1,100\nq2,140\n")],
  fixture({"path": "report.csv.gz",
           "b64": _b64(gzip.compress(b"q,revenue\nq1,100\nq2,140\n", mtime=0))}),
  wrong=["gzip report.csv.gz"])

T("gzip.read-without-unpacking",
  "read events.log.gz on screen but leave it compressed",
  "zcat events.log.gz",
  [out_re(r"\Alogin ok\nlogout\n?\Z"), *absent("events.log")],
  fixture({"path": "events.log.gz", "b64": _b64(gzip.compress(b"login ok\nlogout\n", mtime=0))}),
  wrong=["cat events.log.gz", "gunzip events.log.gz"])

T("gzip.grep-compressed",
  "search the compressed old.log.gz for lines containing 'timeout'",
  "zgrep timeout old.log.gz",
  [out_re(r"\Aconnect timeout after 5s\nread timeout\n?\Z")],
  fixture({"path": "old.log.gz",
           "b64": _b64(gzip.compress(b"start\nconnect timeout after 5s\nok\nread timeout\n",
                                     mtime=0))}),
  wrong=["grep timeout old.log.gz"])

T("zip.create.recursive",
  "zip up the docs folder, subfolders included, into docs.zip",
  "zip -r docs.zip docs",
  [archive("docs.zip", "zip", "docs/index.md", "docs/img/logo.svg", "docs/api/v1.md",
           top_optional=True)],
  fixture(F("docs/index.md", "# docs\n"), F("docs/img/logo.svg", "<svg/>\n"),
          F("docs/api/v1.md", "v1\n")),
  wrong=["zip docs.zip docs", "tar -czf docs.zip docs"])

T("zip.extract",
  "unzip photos.zip into a folder named photos",
  "unzip -q photos.zip -d photos",
  [tree("photos", "a.jpg", "b.jpg", "raw/c.cr2")],
  fixture({"path": "photos.zip", "b64": _zip({"a.jpg": "A", "b.jpg": "B", "raw/c.cr2": "C"})}),
  wrong=["unzip -q photos.zip", "unzip -l photos.zip"])

T("zip.list",
  "what files are in bundle.zip?",
  "unzip -Z1 bundle.zip",
  [out_re(r"manifest\.json"), out_re(r"lib/core\.js"), out_re(r"lib/extra\.js")],
  fixture({"path": "bundle.zip", "b64": _zip({"manifest.json": "{}", "lib/core.js": "c",
                                              "lib/extra.js": "e"})}),
  wrong=["zip -T bundle.zip"])

T("zip.only-pdfs",
  "put all the .pdf files in this directory into papers.zip",
  "zip papers.zip ./*.pdf",
  [archive("papers.zip", "zip", "a.pdf", "b.pdf")],
  fixture(F("a.pdf", "%PDF-a"), F("b.pdf", "%PDF-b"), F("c.txt", "text")),
  wrong=["zip papers.zip ./*"])

T("tar.append-date-name",
  "back up the config folder to a .tar.gz whose name is config- followed by the date "
  "in YYYY-MM-DD form",
  "tar -czf \"config-$(date +%F).tar.gz\" config",
  [{"check": "count", "glob": "config-[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].tar.gz",
    "expect": 1, "type": "file"}],
  fixture(F("config/a.yml", "a: 1\n")),
  wrong=["tar -czf config.tar.gz config"])
