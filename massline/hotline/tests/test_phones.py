import pytest

from massline.hotline.phones import normalise_phone


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "0086 13800138000",
        "8613800138000",
        "１３８００１３８０００",
        " +86-138-0013-8000 ",
    ],
)
def test_one_mobile_number_however_it_is_typed(typed):
    assert normalise_phone(typed) == "13800138000"


def test_a_landline_keeps_its_trunk_zero_from_abroad_too():
    assert normalise_phone("0731-88888888") == normalise_phone("+86 731 8888 8888") == "073188888888"
    assert normalise_phone("(0731) 8888 8888") == "073188888888"


def test_too_few_digits_is_no_number():
    assert normalise_phone("12") == normalise_phone("") == normalise_phone("abc") == ""
