"""Dates, arithmetic, checksums, encodings, sequences, xargs and other small utilities."""

import hashlib

from ._dsl import (
    F,
    T,
    file_is,
    fixture,
    out_has,
    out_lines,
    out_number,
    out_paths,
    out_re,
    out_set,
    out_words,
    tree,
    unchanged,
)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# --- dates: fixed inputs, so the answers do not depend on the day the eval runs -------------

T("date.weekday",
  "what day of the week was 29 February 2024?",
  "date -d 2024-02-29 +%A",
  [out_re(r"\A\s*(Thursday|Thu)\s*\Z", ignore_case=True)],
  fixture(),
  wrong=["date +%A", "date -d 2024-02-28 +%A"])

T("date.add-days",
  "what date is 90 days after 2024-01-15? give it as YYYY-MM-DD",
  "date -d '2024-01-15 + 90 days' +%F",
  [out_re(r"\A\s*2024-04-14\s*\Z")],
  fixture(),
  wrong=["date -d '2024-01-15 + 90 days'", "date -d '2024-01-15 - 90 days' +%F"])

T("date.days-between",
  "count the days from March 1st 2024 until 2024-12-25",
  "echo $(( ($(date -ud 2024-12-25 +%s) - $(date -ud 2024-03-01 +%s)) / 86400 ))",
  [out_number(299)],
  fixture(),
  wrong=["echo $(( 12 - 3 ))"])

T("date.from-epoch",
  "convert the unix timestamp 1700000000 to a readable UTC date",
  "date -u -d @1700000000",
  [out_re(r"2023-11-14|Nov\w*\s+14\b.*2023|14\s+Nov\w*\s+2023"), out_re(r"22:13")],
  fixture(),
  wrong=["date -u -d @1600000000"])

T("date.to-epoch",
  "what is 2024-06-01 00:00:00 UTC as a unix timestamp?",
  "date -u -d '2024-06-01 00:00:00' +%s",
  [out_number(1717200000)],
  fixture(),
  wrong=["date +%s"])

T("date.format-today",
  "print today's date in the form DD/MM/YYYY",
  "date +%d/%m/%Y",
  [out_re(r"\A\s*(0[1-9]|[12][0-9]|3[01])/(0[1-9]|1[0-2])/20[0-9]{2}\s*\Z")],
  fixture(),
  wrong=["date +%F", "date +%d-%m-%Y"],
  notes="the format is checked; the value is today's in the sandbox's time zone")

T("date.file-mtime-iso",
  "print the modification date of invoice.pdf as YYYY-MM-DD",
  "date -u -r invoice.pdf +%F",
  [out_re(r"\A\s*2022-11-03\s*\Z")],
  fixture(F("invoice.pdf", "%PDF", mtime="2022-11-03T12:00:00")),
  wrong=["date +%F"])

T("date.day-of-year",
  "which day of the year is 2023-08-15 (1 to 365)?",
  "date -d 2023-08-15 +%j",
  [out_number(227)],
  fixture(),
  wrong=["date -d 2023-08-15 +%U"])

T("date.last-day-month",
  "what is the last day of February 2023?",
  "date -d '2023-03-01 - 1 day' +%F",
  [out_re(r"2023-02-28|\b28\b", absent=["29"])],
  fixture(),
  wrong=["date -d '2024-03-01 - 1 day' +%F"])

# --- arithmetic and sequences ----------------------------------------------------------------

T("seq.numbers",
  "print the numbers from 5 to 50 in steps of 5, one per line",
  "seq 5 5 50",
  [out_lines(*[str(n) for n in range(5, 55, 5)])],
  fixture(),
  wrong=["seq 5 50", "seq 0 5 50"])

T("seq.padded-files",
  "create empty files test01.txt through test10.txt",
  "touch test{01..10}.txt",
  [tree(".", *[f"test{n:02d}.txt" for n in range(1, 11)])],
  fixture(),
  wrong=["touch test{1..10}.txt"])

T("bc.float",
  "calculate 17 divided by 3 with 4 decimal places",
  "echo 'scale=4; 17/3' | bc",
  [out_re(r"\A\s*5\.666[67]\s*\Z")],
  fixture(),
  wrong=["echo $((17/3))"])

T("arith.sum-file",
  "add up all the numbers in amounts.txt (one per line)",
  "paste -sd+ amounts.txt | bc",
  [out_number(1036.75, tolerance=0.001)],
  fixture(F("amounts.txt", "120.50\n80\n999.25\n-163\n")),
  wrong=["wc -l < amounts.txt"])

T("numfmt.human",
  "show 123456789 bytes in human-readable units like 118M",
  "numfmt --to=iec 123456789",
  [out_re(r"\A\s*11[78](\.[0-9]+)?\s?Mi?B?\s*\Z")],
  fixture(),
  wrong=["echo 123456789"])

# --- checksums, encodings --------------------------------------------------------------------

T("sha256.file",
  "compute the SHA-256 checksum of release.bin",
  "sha256sum release.bin",
  [out_re(r"\b" + _sha256("firmware v7\n") + r"\b")],
  fixture(F("release.bin", "firmware v7\n")),
  wrong=["md5sum release.bin"])

T("sha256.verify",
  "verify that the files named in SHA256SUMS still match the hashes recorded there",
  "sha256sum -c SHA256SUMS",
  [out_re(r"a\.txt: OK"), out_re(r"b\.txt: FAILED"), {"check": "exit", "expect": 1}],
  fixture(F("a.txt", "alpha\n"), F("b.txt", "tampered\n"),
          F("SHA256SUMS",
            f"{_sha256('alpha' + chr(10))}  a.txt\n"
            "eff6b5e5c4d5fb7f49d7e8a10bd6a0e6d3f4bd1e4e0f0f8b9ba8c1d6e4c4b0a1  b.txt\n")),
  wrong=["sha256sum a.txt b.txt"],
  notes="b.txt does not match: a correct verification reports it and exits 1")

T("md5.duplicates",
  "find files in this folder tree that have identical contents",
  "find . -type f -exec md5sum {} + | sort | uniq -w32 -D",
  [out_has("a/one.txt", "b/copy-of-one.txt", "three.txt", absent=["two.txt"])],
  fixture(F("a/one.txt", "same bytes\n"), F("b/copy-of-one.txt", "same bytes\n"),
          F("three.txt", "same bytes\n"), F("two.txt", "different\n")),
  wrong=["find . -type f -exec md5sum {} +  | head -n 1"])

T("base64.decode",
  "decode the base64 text in token.b64",
  "base64 -d token.b64",
  [out_re(r"\A\s*user:s3cret\s*\Z")],
  fixture(F("token.b64", "dXNlcjpzM2NyZXQ=\n")),
  wrong=["cat token.b64", "base64 token.b64"])

T("base64.encode-file",
  "base64-encode logo.txt into logo.b64",
  "base64 logo.txt > logo.b64",
  [file_is("logo.b64", "regex", r"\A\s*PGxvZ28\+Cg==\s*\Z"), unchanged("logo.txt")],
  fixture(F("logo.txt", "<logo>\n")),
  wrong=["cp logo.txt logo.b64"])

T("iconv.latin1",
  "convert old.txt from latin-1 to utf-8, writing new.txt",
  "iconv -f latin1 -t utf-8 old.txt > new.txt",
  [file_is("new.txt", "exact", "café crème\n")],
  fixture({"path": "old.txt", "b64": "Y2Fm6SBjcuhtZQo="}),
  wrong=["cp old.txt new.txt"])

# --- xargs, paths, misc ----------------------------------------------------------------------

T("xargs.from-list",
  "delete the files listed one per line in to-delete.txt",
  "xargs -d '\\n' rm -f -- < to-delete.txt",
  [tree(".", "to-delete.txt", "keep.md", "data/important.db")],
  fixture(F("to-delete.txt", "a.tmp\nold report.pdf\ndata/cache.bin\n"), F("a.tmp", "x"),
          F("old report.pdf", "x"), F("data/cache.bin", "x"), F("keep.md", "k"),
          F("data/important.db", "db")),
  wrong=["xargs rm -f < to-delete.txt", "rm -f to-delete.txt"],
  notes="one name has a space: plain xargs splits it in two")

T("xargs.grep-list",
  "count the lines of every .md file whose name is listed in docs.txt, with a total",
  "xargs wc -l < docs.txt",
  [out_re(r"\b3\s+intro\.md"), out_re(r"\b2\s+usage\.md"), out_re(r"\b5\s+total")],
  fixture(F("docs.txt", "intro.md\nusage.md\n"), F("intro.md", "a\nb\nc\n"),
          F("usage.md", "d\ne\n"), F("other.md", "x\n" * 9)),
  wrong=["wc -l ./*.md"])

T("basename.strip-ext",
  "list the .wav files here by name only, without the .wav extension",
  "basename -s .wav ./*.wav",
  [out_set("intro", "verse", "outro")],
  fixture(F("intro.wav", "w"), F("verse.wav", "w"), F("outro.wav", "w"), F("cover.jpg", "j")),
  wrong=["ls ./*.wav"])

T("realpath.abs",
  "print the absolute path of notes/today.md",
  "realpath notes/today.md",
  [out_re(r"\A/\S*/notes/today\.md\s*\Z")],
  fixture(F("notes/today.md", "x")),
  wrong=["ls notes/today.md"])

T("readlink.target",
  "where does the symlink config point to?",
  "readlink config",
  [out_re(r"settings/prod\.yml")],
  fixture(F("settings/prod.yml", "a: 1\n"), links={"config": "settings/prod.yml"}),
  wrong=["cat config"])

T("tee.log-and-show",
  "list the files in src and save that listing to listing.txt while still showing it",
  "ls src | tee listing.txt",
  [out_paths("a.c", "b.c"), file_is("listing.txt", "paths", ["a.c", "b.c"])],
  fixture(F("src/a.c", "x"), F("src/b.c", "y")),
  wrong=["ls src > listing.txt"])

T("cmp.identical",
  "are copy1.bin and copy2.bin byte-for-byte identical? (exit status)",
  "cmp -s copy1.bin copy2.bin",
  [{"check": "exit", "expect": 0}],
  fixture(F("copy1.bin", size=5000), F("copy2.bin", size=5000), F("other.bin", size=4000)),
  wrong=["cmp -s copy1.bin other.bin"])

T("printf.padded",
  "print the numbers 1 to 5 zero-padded to three digits",
  "seq -f '%03g' 1 5",
  [out_lines("001", "002", "003", "004", "005")],
  fixture(),
  wrong=["seq 1 5"])

T("fold.wrap",
  "wrap the text in long.txt at 20 characters per line, breaking at spaces",
  "fold -s -w 20 long.txt",
  [out_re(r"(?s)\A(?:[^\n]{1,20}\n)+[^\n]{0,20}\Z"),
   out_words("the quick brown fox jumps over the lazy dog and keeps running far away")],
  fixture(F("long.txt", "the quick brown fox jumps over the lazy dog and keeps running "
            "far away\n")),
  wrong=["cat long.txt"])
