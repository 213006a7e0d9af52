"""Changing text: sed substitutions, in-place edits, line deletion and insertion, tr."""

from ._dsl import F, T, file_is, fixture, out_exact, out_lines, out_re, unchanged
from ._samples import ENV_FILE, HOSTS

T("sed.replace.in-place",
  "in config.ini replace every occurrence of localhost with db.internal, editing the file",
  "sed -i 's/localhost/db.internal/g' config.ini",
  [file_is("config.ini", "exact", "[db]\nhost = db.internal\nreplica = db.internal:5433\n"
           "[cache]\nhost = db.internal\n")],
  fixture(F("config.ini", "[db]\nhost = localhost\nreplica = localhost:5433\n[cache]\n"
            "host = localhost\n")),
  wrong=["sed 's/localhost/db.internal/g' config.ini", "sed -i 's/localhost/db.internal/' "
         "config.ini.bak"])

T("sed.replace.first-per-line",
  "print names.txt with the first comma on each line changed to a tab, leave the file alone",
  "sed 's/,/\\t/' names.txt",
  [out_exact("doe\tjane,ms\nroe\trichard,mr\nsmith\tal\n"), unchanged("names.txt")],
  fixture(F("names.txt", "doe,jane,ms\nroe,richard,mr\nsmith,al\n")),
  wrong=["sed 's/,/\\t/g' names.txt", "tr ',' '\\t' < names.txt"])

T("sed.delete.lines-matching",
  "remove every line containing DEBUG from app.log, in place",
  "sed -i '/DEBUG/d' app.log",
  [file_is("app.log", "exact", "start\nINFO ready\nERROR boom\nend\n")],
  fixture(F("app.log", "start\nDEBUG a=1\nINFO ready\nDEBUG b=2\nERROR boom\nend\n")),
  wrong=["grep -v DEBUG app.log", "sed -i '/INFO/d' app.log"])

T("sed.print.line-range",
  "show lines 10 through 15 of big.txt",
  "sed -n '10,15p' big.txt",
  [out_lines(*[f"row {i}" for i in range(10, 16)])],
  fixture(F("big.txt", "".join(f"row {i}\n" for i in range(1, 41)))),
  wrong=["head -n 15 big.txt", "sed -n '10,15p' big.txt | head -n 3"])

T("sed.delete.first-line",
  "strip the header row off data.csv and save the result as body.csv",
  "tail -n +2 data.csv > body.csv",
  [file_is("body.csv", "exact", "1,apple\n2,pear\n3,fig\n"), unchanged("data.csv")],
  fixture(F("data.csv", "id,fruit\n1,apple\n2,pear\n3,fig\n")),
  wrong=["head -n 1 data.csv > body.csv", "tail -n 2 data.csv > body.csv"])

T("sed.trailing-whitespace",
  "remove trailing spaces and tabs from every line of style.css, modifying the file",
  "sed -i 's/[[:space:]]*$//' style.css",
  [file_is("style.css", "regex", r"\Abody \{\n  margin: 0;\n\}\np \{\n  color: red;\n\}\n?\Z")],
  fixture(F("style.css", "body {   \n  margin: 0;\t\n}\np {\n  color: red;  \n}\n")),
  wrong=["sed -i 's/ *$//' style.css"])

T("sed.insert.first-line",
  "add the line '#!/usr/bin/env bash' at the very top of build.sh",
  "sed -i '1i #!/usr/bin/env bash' build.sh",
  [file_is("build.sh", "exact", "#!/usr/bin/env bash\nset -e\nmake all\n")],
  fixture(F("build.sh", "set -e\nmake all\n")),
  wrong=["echo '#!/usr/bin/env bash' >> build.sh"])

T("sed.append.line-end",
  "append the line 'export EDITOR=vim' to the end of profile.sh",
  "echo 'export EDITOR=vim' >> profile.sh",
  [file_is("profile.sh", "exact", "export PATH=$HOME/bin:$PATH\nalias ll='ls -l'\n"
           "export EDITOR=vim\n")],
  fixture(F("profile.sh", "export PATH=$HOME/bin:$PATH\nalias ll='ls -l'\n")),
  wrong=["echo 'export EDITOR=vim' > profile.sh"])

T("sed.comment-out",
  "comment out the line that sets DEBUG in settings.env by putting # in front of it",
  "sed -i 's/^DEBUG=/#DEBUG=/' settings.env",
  [file_is("settings.env", "exact", ENV_FILE.replace("DEBUG=true", "#DEBUG=true"))],
  fixture(F("settings.env", ENV_FILE)),
  wrong=["sed -i '/DEBUG/d' settings.env"])

T("sed.uncomment",
  "uncomment the cache-old entry in hosts.txt",
  "sed -i 's/^# \\(10\\.1\\.1\\.30\\)/\\1/' hosts.txt",
  [file_is("hosts.txt", "lines", [line.lstrip("# ") if "cache-old" in line else line
                                   for line in HOSTS.splitlines()])],
  fixture(F("hosts.txt", HOSTS)),
  wrong=["sed -i 's/^#//' hosts.txt"])

T("sed.replace.across-files",
  "rename the function get_user to fetch_user in every .py file under app/",
  "find app -name '*.py' -exec sed -i 's/get_user/fetch_user/g' {} +",
  [file_is("app/models.py", "exact", "def fetch_user(uid):\n    return uid\n"),
   file_is("app/views/page.py", "exact", "from app.models import fetch_user\nfetch_user(1)\n"),
   unchanged("app/notes.txt", "legacy.py")],
  fixture(F("app/models.py", "def get_user(uid):\n    return uid\n"),
          F("app/views/page.py", "from app.models import get_user\nget_user(1)\n"),
          F("app/notes.txt", "get_user is old\n"), F("legacy.py", "get_user()\n")),
  wrong=["sed -i 's/get_user/fetch_user/g' app/*.py"])

T("sed.dos-to-unix",
  "convert notes.txt from Windows line endings (CRLF) to Unix ones",
  "sed -i 's/\\r$//' notes.txt",
  [file_is("notes.txt", "regex", r"\Aone\ntwo\nthree\n\Z")],
  fixture(F("notes.txt", "one\r\ntwo\r\nthree\r\n")),
  wrong=["cat notes.txt"])

T("sed.between-markers",
  "print just the text between the BEGIN and END marker lines in cert.txt, markers excluded",
  "sed -n '/^BEGIN$/,/^END$/{/^BEGIN$/d;/^END$/d;p}' cert.txt",
  [out_lines("MIIBszCCAVmgAwIBAgIU", "QWxhZGRpbjpvcGVu")],
  fixture(F("cert.txt", "header text\nBEGIN\nMIIBszCCAVmgAwIBAgIU\nQWxhZGRpbjpvcGVu\nEND\n"
            "trailer\n")),
  wrong=["sed -n '/BEGIN/,/END/p' cert.txt"])

T("tr.upper",
  "print shout.txt converted to all capital letters",
  "tr '[:lower:]' '[:upper:]' < shout.txt",
  [out_exact("HELLO WORLD\nTHIS IS LOUD\n"), unchanged("shout.txt")],
  fixture(F("shout.txt", "hello world\nthis is loud\n")),
  wrong=["cat shout.txt"])

T("tr.delete-digits",
  "show serials.txt with all digits removed",
  "tr -d '0-9' < serials.txt",
  [out_exact("AB-\nX-Y\n-Q\n")],
  fixture(F("serials.txt", "AB-123\nX9-Y8\n42-Q\n")),
  wrong=["tr -d 'A-Z' < serials.txt"])

T("tr.squeeze-spaces",
  "collapse runs of spaces in table.txt down to a single space and print it",
  "tr -s ' ' < table.txt",
  [out_exact("name age city\nann 31 oslo\nbo 4 rome\n")],
  fixture(F("table.txt", "name   age    city\nann    31     oslo\nbo     4      rome\n")),
  wrong=["cat table.txt"])

T("sed.copy-then-edit",
  "make a copy of nginx.conf called nginx.conf.new with port 80 changed to 8080; keep the "
  "original untouched",
  "sed 's/listen 80;/listen 8080;/' nginx.conf > nginx.conf.new",
  [file_is("nginx.conf.new", "exact", "server {\n  listen 8080;\n  root /srv/www;\n}\n"),
   unchanged("nginx.conf")],
  fixture(F("nginx.conf", "server {\n  listen 80;\n  root /srv/www;\n}\n")),
  wrong=["sed -i 's/listen 80;/listen 8080;/' nginx.conf"])

T("sed.number-lines",
  "number the lines of todo.txt as you print it",
  "nl -ba todo.txt",
  [out_re(r"\A\s*1\W*wash car\s*\n\s*2\W*call mum\s*\n\s*3\W*pay rent\s*\Z")],
  fixture(F("todo.txt", "wash car\ncall mum\npay rent\n")),
  wrong=["cat todo.txt", "grep -n . todo.txt | head -n 2"])
