"""A believable city of about twenty units, the category catalogue and its routing rows."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction

from massline.accounts.models import StaffProfile
from massline.core.holidays import CN_HOLIDAYS
from massline.core.workflow import Role
from massline.shared_data import shared_data_dir
from massline.workflow.catalogue import (
    category_code,
    install_default_deadline_rules,
    load_category_tree,
    make_unit,
    read_category_csv,
)
from massline.workflow.models import CalendarDay, Category, ReplyTemplate, RoutingRule, Unit

DEMO_PASSWORD = "massline-demo"

DEPARTMENTS = [
    # code, name, first-level categories it owns by default
    ("housing", "市住房和城乡建设局", ["城乡建设"]),
    ("hrss", "市人力资源和社会保障局", ["劳动和社会保障"]),
    ("edu", "市教育局", ["教育文体"]),
    ("commerce", "市商务和文化旅游局", ["商贸旅游"]),
    ("env", "市生态环境局", ["环境保护"]),
    ("health", "市卫生健康委员会", ["卫生计生"]),
    ("transport", "市交通运输局", ["交通运输"]),
    ("police", "市公安局", ["政法"]),
    ("land", "市自然资源和规划局", ["国土资源"]),
    ("civil", "市民政局", ["民政"]),
    ("agri", "市农业农村局", ["农村农业"]),
    ("econ", "市发展和改革委员会", ["经济管理", "科技与信息产业"]),
    ("govoffice", "市政府办公厅", ["党务政务"]),
    ("discipline", "市纪委监委", ["纪检监察"]),
]
DISTRICTS = [
    ("a1", "A1区人民政府", "A1区"),
    ("a2", "A2区人民政府", "A2区"),
    ("a3", "A3区人民政府", "A3区"),
    ("a4", "A4区人民政府", "A4区"),
    ("a5", "A5区人民政府", "A5区"),
    ("a6", "A6区人民政府", "A6区"),
    ("a7", "A7县人民政府", "A7县"),
]
STREETS = [
    ("a3-guanling", "A3区观岭街道办事处", "a3", "观岭"),
    ("a5-kuixing", "A5区魁星街道办事处", "a5", "魁星"),
]

UTILITY_WORDS = ("冬季采暖", "燃气供应", "电力供应", "自来水供应")

# A fallback catalogue for machines without ../shared/data: the 15 first-level classes only.
FIRST_LEVEL = [name for _code, _name, names in DEPARTMENTS for name in names]

REPLY_TEMPLATES = [
    (
        "收悉并转办",
        "网友：您好！您反映的问题已收悉。经核实，{情况}。我单位已安排专人跟进处理，预计在{期限}内办结。如有疑问，请致电{电话}。感谢您对我们工作的关心和支持！",
    ),
    (
        "政策解释",
        "网友：您好！关于您咨询的问题，根据《{政策名称}》第{条}条规定，{解释}。如需进一步了解，请于工作日到{地点}咨询，联系电话{电话}。",
    ),
    (
        "已办结",
        "网友：您好！您反映的{问题}已于{日期}处理完毕：{处理结果}。后续我们将加强日常巡查，防止问题反弹。感谢您的监督！",
    ),
]


def _catalogue_rows() -> tuple[list[tuple[str, ...]], bool]:
    path = shared_data_dir() / "govmsg" / "attachment1_category_tree.csv"
    if path.exists():
        return read_category_csv(Path(path)), True
    return [(name,) for name in FIRST_LEVEL], False


@transaction.atomic
def build_city() -> dict[str, object]:
    """Create (or update) the demo city. Returns a summary, including whether real data was used."""
    city = make_unit("city", "A市12345市民服务热线", area="A市")
    units = {"city": city}
    for code, name, _cats in DEPARTMENTS:
        units[code] = make_unit(code, name, city)
    for code, name, area in DISTRICTS:
        units[code] = make_unit(code, name, city, area)
    for code, name, parent, area in STREETS:
        units[code] = make_unit(code, name, units[parent], area)

    rows, real = _catalogue_rows()
    load_category_tree(rows)
    owner = {cat: code for code, _name, cats in DEPARTMENTS for cat in cats}
    for cat in Category.objects.filter(level=1):
        unit = units.get(owner.get(cat.name, ""))
        if unit and cat.default_unit_id != unit.pk:
            cat.default_unit = unit
            cat.save(update_fields=["default_unit"])
    Category.objects.filter(name__in=UTILITY_WORDS).update(urgency="utility")

    # Area rules: city construction problems inside a district go to that district's government;
    # the two street offices take their own neighbourhoods.
    construction = Category.objects.filter(level=1, name="城乡建设").first()
    RoutingRule.objects.all().delete()
    if construction:
        for code, _name, area in DISTRICTS:
            RoutingRule.objects.create(category=construction, area=area, unit=units[code], priority=50)
        for code, _name, _parent, area in STREETS:
            RoutingRule.objects.create(category=construction, area=area, unit=units[code], priority=10)
    commerce = Category.objects.filter(level=1, name="商贸旅游").first()
    if commerce:
        RoutingRule.objects.create(category=commerce, keyword="传销", unit=units["police"], priority=20)

    install_default_deadline_rules()
    for template_name, text in REPLY_TEMPLATES:
        ReplyTemplate.objects.get_or_create(name=template_name, defaults={"text": text})
    return {"units": Unit.objects.count(), "categories": Category.objects.count(), "real_catalogue": real}


def install_holidays(years: list[int]) -> None:
    """China's public holidays and make-up workdays for the demo years (from the State Council notices)."""
    for day, is_workday, name in CN_HOLIDAYS:
        if day.year in years:
            CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name})


def ensure_groups() -> dict[str, Group]:
    return {r.value: Group.objects.get_or_create(name=r.value)[0] for r in Role if r is not Role.CITIZEN}


def make_staff(
    username: str,
    role: str,
    unit: Unit | None = None,
    display: str = "",
    superuser: bool = False,
    groups: dict[str, Group] | None = None,
) -> User:
    groups = groups or ensure_groups()
    user, created = User.objects.get_or_create(username=username, defaults={"is_staff": superuser})
    if created or not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
    user.is_superuser = superuser
    user.is_staff = superuser
    user.save()
    user.groups.add(groups[role])
    StaffProfile.objects.update_or_create(
        user=user, defaults={"unit": unit, "display_name": display or username}
    )
    return user


def build_staff() -> list[tuple[str, str, str]]:
    """Demo logins: (username, role, unit). All share DEMO_PASSWORD."""
    logins = [
        ("admin", Role.ADMIN.value, ""),
        ("dispatcher", Role.DISPATCHER.value, ""),
        ("supervisor", Role.SUPERVISOR.value, ""),
        ("discipline", Role.DISCIPLINE.value, ""),
    ]
    g = ensure_groups()  # once, not once per account
    make_staff("admin", Role.ADMIN.value, display="系统管理员", superuser=True, groups=g)
    make_staff("dispatcher", Role.DISPATCHER.value, display="派单员 王敏", groups=g)
    make_staff("supervisor", Role.SUPERVISOR.value, display="督办员 李强", groups=g)
    discipline = Unit.objects.get(code="discipline")
    make_staff("discipline", Role.DISCIPLINE.value, discipline, display="纪检员 赵红", groups=g)
    for unit in Unit.objects.exclude(code="city"):
        make_staff(f"staff-{unit.code}", Role.UNIT_STAFF.value, unit, display=f"{unit.name} 承办人", groups=g)
        logins.append((f"staff-{unit.code}", Role.UNIT_STAFF.value, unit.name))
    return logins


__all__ = ["DEMO_PASSWORD", "build_city", "build_staff", "category_code", "install_holidays"]
