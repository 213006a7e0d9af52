"""Looking at files: ls orderings, sizes (du, stat, wc), disk space, timestamps, types."""

import base64
import gzip

from ._dsl import (
    F,
    T,
    fixture,
    out_has,
    out_number,
    out_paths,
    out_re,
    out_size,
)

T("ls.sort.size-desc",
  "list the files here from largest to smallest",
  "ls -S",
  [out_re(r"(?s)notes\.dat.*zoo\.dat.*apple\.dat")],
  fixture(F("zoo.dat", size=50_000), F("apple.dat", size=1_000), F("notes.dat", size=200_000)),
  wrong=["ls", "ls -Sr"])

T("ls.newest-one",
  "which file in this folder did I modify most recently?",
  "ls -t | head -n 1",
  [out_re(r"upload\.log", absent=["archive.txt", "build.csv", "index.md"])],
  fixture(F("archive.txt", "x", days=9), F("upload.log", "x", hours=1),
          F("build.csv", "x", days=90), F("index.md", "x", days=3)),
  wrong=["ls -tr | head -n 1", "ls | head -n 1"])

T("ls.oldest-two",
  "show the two oldest files in this directory",
  "ls -tr | head -n 2",
  [out_paths("ancient.txt", "old.csv")],
  fixture(F("ancient.txt", "x", days=400), F("old.csv", "x", days=90), F("recent.md", "x", days=2),
          F("today.log", "x", hours=3)),
  wrong=["ls -t | head -n 2"])

T("ls.count.files-only",
  "how many regular files (not folders) are in this directory itself?",
  "find . -maxdepth 1 -type f | wc -l",
  [out_number(5)],
  fixture(F("a.txt", "x"), F("b.txt", "x"), F("c.csv", "x"), F("d.md", "x"), F(".hidden", "x"),
          F("sub1/e.txt", "x"), F("sub2/f.txt", "x")),
  wrong=["ls | wc -l", "find . -type f | wc -l"])

T("du.total.assets",
  "how much space does the assets folder take up in total?",
  "du -sh assets",
  [out_size(1_200_000, tolerance=0.15), out_has("assets")],
  fixture(F("assets/hero.jpg", size=700_000), F("assets/fonts/inter.woff2", size=300_000),
          F("assets/icons/set.svg", size=200_000), F("other.bin", size=500_000)),
  wrong=["du -sh .", "ls -lh assets"])

T("du.biggest-subdir",
  "which subfolder of this directory takes the most disk space? just name it",
  "du -s */ | sort -n | tail -n 1",
  [out_re(r"videos", absent=["docs", "music"])],
  fixture(F("videos/a.mp4", size=800_000), F("music/b.mp3", size=300_000),
          F("docs/c.pdf", size=100_000)),
  wrong=["du -s */ | sort -n | head -n 1"])

T("du.each-dir-human",
  "show how big each folder in here is, in human-readable units",
  "du -sh */",
  [out_re(r"[0-9.,]+\s?[KMG]"), out_has("src", "vendor", "data")],
  fixture(F("src/main.rs", size=20_000), F("vendor/lib.rs", size=300_000),
          F("data/set.bin", size=100_000), F("top.txt", "x")),
  wrong=["du -s */"])

T("df.free-here",
  "how much free disk space is left on the filesystem this folder lives on?",
  "df -h .",
  [out_re(r"(?i)avail"), out_re(r"[0-9.,]+\s?[KMGTP]i?B?\b")],
  fixture(F("x", "x")),
  wrong=["du -sh ."])

T("stat.size.bytes",
  "I need the exact byte count of report.pdf",
  "stat -c %s report.pdf",
  [out_re(r"(^|\D)123456(\D|$)")],
  fixture(F("report.pdf", size=123_456), F("summary.pdf", size=2_048)),
  wrong=["du -h report.pdf"])

T("stat.mtime.budget",
  "when was budget.xlsx last modified?",
  "stat -c %y budget.xlsx",
  [out_re(r"2023-06-15|Jun\s+15\b.*2023|15\s+Jun\w*\s+2023|2023.*Jun\s+15")],
  fixture(F("budget.xlsx", size=900, mtime="2023-06-15T12:00:00"),
          F("forecast.xlsx", size=900, mtime="2024-02-01T12:00:00")),
  wrong=["stat -c %y forecast.xlsx"],
  notes="noon UTC: the same calendar date in every time zone within 11 hours")

T("stat.perm.octal",
  "what are the permissions of deploy.sh, as an octal number?",
  "stat -c %a deploy.sh",
  [out_re(r"(^|\D)0?750(\D|$)")],
  fixture(F("deploy.sh", "#!/bin/sh\n", mode="750"), F("other.sh", "#!/bin/sh\n", mode="755")),
  wrong=["stat -c %a other.sh"])

T("wc.lines.csv-total",
  "count the total number of lines across all the .csv files here",
  "cat ./*.csv | wc -l",
  [out_number(9)],
  fixture(F("jan.csv", "a,1\nb,2\nc,3\n"), F("feb.csv", "d,4\ne,5\n"),
          F("mar.csv", "f,6\ng,7\nh,8\ni,9\n"), F("notes.txt", "x\ny\n")),
  wrong=["wc -l ./*.csv", "cat ./* | wc -l"])

T("wc.lines.one-file",
  "how many lines does server.log have?",
  "wc -l < server.log",
  [out_number(7)],
  fixture(F("server.log", "".join(f"line {i}\n" for i in range(7))),
          F("client.log", "a\nb\n")),
  wrong=["wc -c server.log"])

T("wc.words.essay",
  "what's the word count of essay.txt?",
  "wc -w < essay.txt",
  [out_number(13)],
  fixture(F("essay.txt", "The sea was calm.\nWe rowed out\nto the little island at dawn.\n")),
  wrong=["wc -l essay.txt"])

T("wc.chars.longest-line",
  "how long is the longest line in poem.txt, in characters?",
  "wc -L < poem.txt",
  [out_number(31)],
  fixture(F("poem.txt", "roses are red\nthe quick brown fox jumped over\nend\n")),
  wrong=["wc -c < poem.txt"])

T("file.type.detect",
  "what kind of file is mystery.bin?",
  "file mystery.bin",
  [out_re(r"(?i)gzip")],
  fixture({"path": "mystery.bin",
           "b64": base64.b64encode(gzip.compress(b"hello there\n" * 20, mtime=0)).decode()}),
  wrong=["ls -l mystery.bin"])

T("ls.long.human",
  "show the files in this folder with their sizes in KB/MB, not bytes",
  "ls -lh",
  [out_re(r"[0-9.,]+M\b"), out_re(r"[0-9.,]+K\b"), out_has("a.bin", "b.bin")],
  fixture(F("a.bin", size=40_000), F("b.bin", size=2_500_000)),
  wrong=["ls -l"])

T("ls.recursive.tree-count",
  "how many files are there in this directory and everything below it?",
  "find . -type f | wc -l",
  [out_number(6)],
  fixture(F("a", "x"), F("b/c", "x"), F("b/d/e", "x"), F("b/d/f", "x"), F("g/h", "x"),
          F(".dotfile", "x"), dirs=("empty",)),
  wrong=["ls | wc -l", "find . | wc -l"])

T("ls.dirs-sizes-sorted",
  "list the folders here sorted by their total size, biggest first",
  "du -s */ | sort -rn",
  [out_re(r"(?s)photos.*code.*notes")],
  fixture(F("photos/a.jpg", size=600_000), F("code/b.c", size=200_000),
          F("notes/c.txt", size=20_000)),
  wrong=["du -s */ | sort -n"])
