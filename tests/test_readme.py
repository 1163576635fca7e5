"""The README's library example runs as written."""

import re
from pathlib import Path

import pytest
from helpers import article, write_corpus

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_a_quickstart_with_two_commands():
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", quick, re.S).group(1)
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert len(commands) == 2
    assert commands[1] in (README.parent / ".ci" / "run").read_text()


@pytest.mark.parametrize("code", python_blocks())
def test_readme_library_example_runs(code, tmp_path, monkeypatch, capsys):
    write_corpus(
        tmp_path / "corpus",
        {
            "wire/mosul.txt": article(
                "Baghdadi message as forces enter Mosul",
                "Iraqi forces entered Mosul as Abu Bakr al-Baghdadi released a message.",
            )
        },
    )
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})
    assert "Baghdadi message as forces enter Mosul" in capsys.readouterr().out
