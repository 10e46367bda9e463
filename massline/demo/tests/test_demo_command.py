"""`massline demo` tells the address it serves on."""

from __future__ import annotations


def test_demo_prints_the_address_given_with_addr(make_request, capsys):
    from massline.cli import main

    make_request()  # a database with requests is not built again
    assert main(["demo", "--no-serve", "--addr", "0.0.0.0:9123"]) == 0
    out = capsys.readouterr().out
    assert "http://0.0.0.0:9123/" in out and "http://0.0.0.0:9123/staff/" in out
    assert "8000" not in out
