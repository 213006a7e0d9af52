"""Extracting the one command from whatever a model wrote: a table of messy real-world answers."""

from __future__ import annotations

import pytest

from nlsh.candidates import extract_command

MESSY_OUTPUTS = [
    # (model output, expected command or None)
    ("ls -la", "ls -la"),
    ("  ls -la  \n", "ls -la"),
    ("```bash\nfind . -size +100M\n```", "find . -size +100M"),
    ("```\ndu -sh *\n```", "du -sh *"),
    ("```sh\n$ grep -rn TODO .\n```", "grep -rn TODO ."),
    ("```bash\n# list big files\nfind ~ -type f -size +100M\n```", "find ~ -type f -size +100M"),
    ("Here is the command:\n```bash\ntar -czf photos.tar.gz photos\n```\nThis creates an archive.",
     "tar -czf photos.tar.gz photos"),
    ("To list all files, use `ls -a` in your terminal.", "ls -a"),
    ("You can run `wc -l notes.txt` to count lines.", "wc -l notes.txt"),
    ("$ pwd", "pwd"),
    ("$ df -h\nFilesystem Size Used", "df -h"),
    ("Command: date +%Y-%m-%d", "date +%Y-%m-%d"),
    ("Answer: head -n 20 app.log", "head -n 20 app.log"),
    ("<think>The user wants disk usage. du is right.</think>\ndu -sh .", "du -sh ."),
    ("<think>\nhmm\n</think>\n\n```bash\nfree -h\n```", "free -h"),
    ("<think>unfinished reasoning that never closes", None),
    ("Sure! Here's how:\n\nps aux | grep python", "ps aux | grep python"),
    ("Sure, you can use the following command:\n\nsort -u names.txt", "sort -u names.txt"),
    ("1. find . -name '*.log' -delete", "find . -name '*.log' -delete"),
    ("- cp -r src dst", "cp -r src dst"),
    ("find . -type f -name '*.py' | xargs wc -l  # count python lines",
     "find . -type f -name '*.py' | xargs wc -l"),
    ("tail -f /var/log/syslog\n\nThis will follow the log.", "tail -f /var/log/syslog"),
    ("rsync -av src/ backup/\nrsync -av --delete src/ backup/", "rsync -av src/ backup/"),
    ("find . -name '*.tmp' \\\n  -delete", "find . -name '*.tmp' -delete"),
    ("The current directory is /home/user.", None),
    ("I cannot help with that.", None),
    ("", None),
    ("   \n\n  ", None),
    ("```bash\n```", None),
    ("uname -a. This prints system information.", "uname -a"),
    ("echo \"hello world\" > greeting.txt", "echo \"hello world\" > greeting.txt"),
    ("for f in *.jpg; do mv \"$f\" \"${f%.jpg}.jpeg\"; done",
     "for f in *.jpg; do mv \"$f\" \"${f%.jpg}.jpeg\"; done"),
    ("```zsh\ngit log --oneline -n 5\n```", "git log --oneline -n 5"),
    ("Use this:\n`git status`", "git status"),
    ("Run:\n\n    mkdir -p build/output", "mkdir -p build/output"),
    ("bash: ls -lt | head", "ls -lt | head"),
    ("Explanation: the command below shows memory.\nfree -m", "free -m"),
    ("```bash\nsudo apt update && sudo apt install jq\n```",
     "sudo apt update && sudo apt install jq"),
    ("To do this you would type: cat file.txt | sort | uniq -c",
     "cat file.txt | sort | uniq -c"),
    ("* du -h --max-depth=1 .", "du -h --max-depth=1 ."),
    ("`ls` lists files; for hidden ones use `ls -A`.", "ls"),
    ("```\n$ seq 1 10\n1\n2\n```", "seq 1 10"),
    ("chmod +x deploy.sh\r\n", "chmod +x deploy.sh"),
    ("The command `uptime` shows how long the system has run.", "uptime"),
    ("2) grep -c error app.log", "grep -c error app.log"),
]


@pytest.mark.parametrize(("output", "expected"), MESSY_OUTPUTS)
def test_extracts_the_command(output: str, expected: str | None) -> None:
    assert extract_command(output) == expected


def test_table_is_large_enough() -> None:
    assert len(MESSY_OUTPUTS) >= 40
