"""The command line: no PyTorch, no traceback, one error line."""
from __future__ import annotations

from tests.trainer.helpers import cli


def test_importing_the_cli_does_not_import_torch():
    proc = cli([], prelude="import trainer.cli, trainer.config\nassert 'torch' not in sys.modules, 'torch imported'\n"
                           "sys.exit(0)")
    assert proc.returncode == 0, proc.stderr


def test_train_without_torch_prints_the_install_hint(tmp_path):
    proc = cli(["train", "--manifest", str(tmp_path)], prelude="sys.modules['torch'] = None")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == \
        "quarry: error: quarry train needs PyTorch: pip install 'quarry[train]'"
    assert "Traceback" not in proc.stderr


def test_add_train_command_registers_train():
    import argparse

    from trainer.cli import add_train_command

    parser = argparse.ArgumentParser(prog="quarry")
    add_train_command(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["train", "--manifest", "m", "--preset", "124m", "--max-steps", "3",
                              "--set", "lr=1e-3", "--set", "compile=false", "--resume", "--no-verify"])
    assert callable(args.handler) and args.preset == "124m" and args.max_steps == 3 and args.no_verify


def test_missing_manifest_is_one_line(tmp_path, capsys):
    from trainer.cli import main

    assert main(["train", "--manifest", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("quarry: error: no manifest at") and err.count("\n") == 1
