"""Person-name matching across transliterations: pairs that must merge and near misses that must not."""

from __future__ import annotations

import pytest

from vigil.extract.names import name_key, parse_name, resolve_short_form, same_person
from vigil.extract.transliteration import arabic_skeleton, latin_key

SAME = [
    # the 2024 spokesman, every spelling seen in reports, in three scripts
    ("Abu Hudhayfah al-Ansari", "Abu Huthaifa al-Ansari"),
    ("Abu Hudhayfah al-Ansari", "Abu Hudhaifa al-Ansari"),
    ("Abu Hudhayfah al-Ansari", "أبو حذيفة الأنصاري"),
    ("Abu Huthaifa al-Ansari", "أبو حذيفة الأنصاري"),
    ("Abu Hudhayfah Al-Ansari", "Abu Hudhaifah el-Ansari"),
    ("Abu Hudhayfah al-Ansari", "Abu Huzaifa al-Ansari"),
    ("Abu Hudhayfah al-Ansari", "Abou Houdhaifa al-Ansary"),
    ("Abu Hudhayfah al-Ansari", "Абу Хузайфа аль-Ансари"),
    ("Abu Hudhayfa al-Ansari", "Abu Hudhaifa Al Ansari"),
    ("Abu Ḥudhayfah al-Anṣārī", "Abu Hudhayfah al-Ansari"),
    # 2019 spokesman
    ("Abu Hassan al-Muhajir", "Abu al-Hassan al-Muhajir"),
    ("Abu Hassan al-Muhajir", "أبو الحسن المهاجر"),
    ("Abu Hassan al-Muhajir", "Abul Hasan al-Mohajir"),
    ("Abu al-Hasan al-Muhajir", "Abou el-Hassan el-Mouhajir"),
    ("Abu Hassan al-Muhajir", "Абу Хасан аль-Мухаджир"),
    # earlier spokesmen and leaders
    ("Abu Muhammad al-Adnani", "Abu Mohammed al-Adnani"),
    ("Abu Muhammad al-Adnani", "Abu Mohamed al-'Adnani"),
    ("Abu Muhammad al-Adnani", "أبو محمد العدناني"),
    ("Abu Muhammad al-Adnani", "Абу Мухаммад аль-Аднани"),
    ("Abu Bakr al-Baghdadi", "Abu Bakar al-Baghdadi"),
    ("Abu Bakr al-Baghdadi", "أبو بكر البغدادي"),
    ("Abu Bakr al-Baghdadi", "Абу Бакр аль-Багдади"),
    ("Abu Bakr al-Baghdadi", "Abu Bakr al-Baghdadi al-Qurashi"),
    ("Abu Bakr al-Baghdadi al-Husseini al-Qurashi", "Abu Bakr al-Husayni al-Baghdadi"),
    ("Abu Ibrahim al-Hashimi al-Qurashi", "أبو إبراهيم الهاشمي القرشي"),
    ("Abu Ibrahim al-Hashimi al-Qurashi", "Abou Ibrahim al-Hachimi al-Qourachi"),
    ("Abu Hamza al-Qurashi", "Abu Hamzah al-Qurashi"),
    ("Abu Hamza al-Qurashi", "أبو حمزة القرشي"),
    ("Abu Omar al-Muhajir", "Abu Umar al-Muhajir"),
    ("Abu Omar al-Muhajir", "أبو عمر المهاجر"),
    ("Abu Musab al-Zarqawi", "Abu Mus'ab al-Zarqawi"),
    ("Abu Musab al-Zarqawi", "Abou Moussab al-Zarkaoui"),
    ("Abu Musab al-Zarqawi", "أبو مصعب الزرقاوي"),
    ("Abu Musab al-Zarqawi", "Abu Musab az-Zarqawi"),
    ("Abu Muhammad al-Julani", "Abu Mohammed al-Jolani"),
    ("Abu Muhammad al-Julani", "Abu Mohammad al-Joulani"),
    ("Abu Muhammad al-Julani", "أبو محمد الجولاني"),
    ("Ayman al-Zawahiri", "Ayman al-Zawahri"),
    ("Ayman al-Zawahiri", "Aiman az-Zawahiri"),
    ("Ayman al-Zawahiri", "أيمن الظواهري"),
    ("Ayman al-Zawahiri", "Ayman el-Zawahiry"),
    ("Osama bin Laden", "Usama bin Ladin"),
    ("Osama bin Laden", "Oussama ben Laden"),
    ("Osama bin Laden", "أسامة بن لادن"),
    ("Osama bin Laden", "Усама бен Ладен"),
    ("Ahmed al-Sharaa", "Ahmad al-Shara'a"),
    ("Ahmed al-Sharaa", "أحمد الشرع"),
    ("Shahab al-Muhajir", "شهاب المهاجر"),
    ("Abu Abd al-Rahman al-Tunisi", "Abu Abdul Rahman al-Tunisi"),
    ("Abu Abd al-Rahman al-Tunisi", "Abu Abdurrahman al-Tounsi"),
    ("Abu Abd al-Rahman al-Tunisi", "أبو عبد الرحمن التونسي"),
    ("Abu Abdullah al-Shami", "Abu Abdallah ash-Shami"),
    ("Abu Yahya al-Libi", "Abou Yahia al-Libi"),
    ("Abu Yahya al-Libi", "أبو يحيى الليبي"),
    ("Hamza bin Laden", "Hamzah bin Ladin"),
    ("Umm Sayyaf al-Iraqiya", "Um Sayaf al-Iraqiya"),
    ("Abu Suleiman al-Naser", "Abu Sulayman al-Nasir"),
    ("Abu Sulayman al-Nasir", "أبو سليمان الناصر"),
    ("Khalid al-Batarfi", "Khaled Batarfi al-Batarfi"),
    ("Abu Ubaidah Yusuf al-Anabi", "Abu Obaida Yusuf al-Annabi"),
]

DIFFERENT = [
    # same nisba, different kunya
    ("Abu Hassan al-Muhajir", "Abu Omar al-Muhajir"),
    ("Abu Hassan al-Muhajir", "Abu Hussein al-Muhajir"),
    ("Abu Hassan al-Muhajir", "Abu Hamza al-Muhajir"),
    ("Abu Hassan al-Muhajir", "Abu Hazim al-Muhajir"),
    ("Abu Hassan al-Muhajir", "Shahab al-Muhajir"),
    ("Abu Bakr al-Baghdadi", "Abu Umar al-Baghdadi"),
    ("Abu Bakr al-Baghdadi", "Abu Ayyub al-Baghdadi"),
    ("Abu Bakr al-Baghdadi", "Abu Bilal al-Baghdadi"),
    ("Abu Bakr al-Baghdadi", "Umm Bakr al-Baghdadi"),
    ("Abu Hudhayfah al-Ansari", "Abu Hafs al-Ansari"),
    ("Abu Hudhayfah al-Ansari", "Abu Hamza al-Ansari"),
    ("Abu Hudhayfah al-Ansari", "Abu Huraira al-Ansari"),
    ("Abu Muhammad al-Adnani", "Abu Mahmud al-Adnani"),
    ("Abu Muhammad al-Adnani", "Abu Ahmad al-Adnani"),
    ("Abu Hamza al-Qurashi", "Abu Ibrahim al-Qurashi"),
    ("Abu Hamza al-Qurashi", "Abu Hafs al-Qurashi"),
    ("Abu Musab al-Zarqawi", "Abu Musaab al-Suri"),
    ("Abu Omar al-Muhajir", "Abu Amir al-Muhajir"),
    # same kunya, different nisba
    ("Abu Muhammad al-Adnani", "Abu Muhammad al-Julani"),
    ("Abu Muhammad al-Adnani", "Abu Muhammad al-Maqdisi"),
    ("Abu Muhammad al-Adnani", "Abu Muhammad al-Shami"),
    ("Abu Hudhayfah al-Ansari", "Abu Hudhayfah al-Masri"),
    ("Abu Hudhayfah al-Ansari", "Abu Hudhayfah al-Kurdi"),
    ("Abu Hudhayfah al-Ansari", "أبو حذيفة المصري"),
    ("Abu Hassan al-Muhajir", "Abu Hassan al-Ansari"),
    ("Abu Hassan al-Muhajir", "Abu Hassan al-Muhajiri"),
    ("Abu Bakr al-Baghdadi", "Abu Bakr al-Masri"),
    ("Abu Bakr al-Baghdadi", "Abu Bakr al-Iraqi"),
    ("Abu Bakr al-Baghdadi", "Abu Bakr Shekau"),
    ("Abu Ibrahim al-Hashimi al-Qurashi", "Abu Ibrahim al-Masri"),
    ("Abu Omar al-Muhajir", "Abu Omar al-Shishani"),
    ("Abu Omar al-Muhajir", "Abu Omar al-Baghdadi"),
    ("Abu Yahya al-Libi", "Abu Yahya al-Iraqi"),
    ("Abu Abd al-Rahman al-Tunisi", "Abu Abd al-Rahman al-Masri"),
    # same nisba, different ism
    ("Ibrahim al-Baghdadi", "Ahmad al-Baghdadi"),
    ("Hasan al-Masri", "Husain al-Masri"),
    ("Hasan al-Masri", "حسين المصري"),
    ("Hussein al-Masri", "حسن المصري"),
    ("Hamid al-Iraqi", "Hamad al-Iraqi"),
    ("Saad al-Harbi", "Saeed al-Harbi"),
    ("Umar al-Shishani", "Amr al-Shishani"),
    ("Ayman al-Zawahiri", "Muhammad al-Zawahiri"),
    ("Abd al-Aziz al-Muqrin", "Abd al-Rahman al-Muqrin"),
    ("Abdul Aziz al-Somali", "Abdul Karim al-Somali"),
    ("Khalid al-Batarfi", "Khalil al-Batarfi"),
    # different nasab
    ("Osama bin Laden", "Osama bin Mahfouz"),
    ("Hamza bin Laden", "Hamza bin Mahfouz"),
    ("Hamza bin Laden", "Hamed bin Laden"),
    # too little in common to merge outside one item
    ("Abu Hudhayfah al-Ansari", "al-Ansari"),
    ("Abu Hassan al-Muhajir", "al-Muhajir"),
    ("Abu Bakr al-Baghdadi", "Abu Bakr"),
    ("Abu Bakr al-Baghdadi", "Ibrahim Awad Ibrahim al-Badri"),
    ("Ayman al-Zawahiri", "Abu Muhammad al-Zawahiri"),
    # unrelated names
    ("Maria Zakharova", "Maria Zakharchenko"),
    ("Pavel Durov", "Nikolai Durov"),
    ("Dmitry Peskov", "Dmitry Medvedev"),
]


def test_names_list_sizes() -> None:
    assert len(SAME) >= 50
    assert len(DIFFERENT) >= 50


@pytest.mark.parametrize(("a", "b"), SAME)
def test_names_variants_merge(a: str, b: str) -> None:
    assert same_person(a, b), f"{a!r} and {b!r} should be one person"
    assert same_person(b, a), "same_person must be symmetric"


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_names_near_misses_stay_apart(a: str, b: str) -> None:
    assert not same_person(a, b), f"{a!r} and {b!r} should not merge"
    assert not same_person(b, a), "same_person must be symmetric"


def test_names_transliteration_key_folds_digraphs() -> None:
    assert {latin_key(w) for w in ("Hudhayfah", "Huthaifa", "Hudhaifa", "Huzaifa")} == {"hudaifa"}
    assert latin_key("Qurashi") == latin_key("Kourashi")
    assert latin_key("Ansary") == latin_key("Ansari")


def test_names_arabic_skeleton() -> None:
    assert arabic_skeleton("حذيفة") == "hdfh"
    assert arabic_skeleton("الأنصاري").endswith("nsr")


def test_names_parse_parts() -> None:
    parsed = parse_name("Abu Bakr al-Baghdadi al-Qurashi")
    assert parsed.kunya_type == "abu"
    assert parsed.kunya is not None and len(parsed.nisbas) == 2
    assert parse_name("Osama bin Laden").nasab
    arabic = parse_name("أبو عبد الرحمن التونسي")
    assert arabic.kunya is not None and len(arabic.kunya.tokens) == 2  # Abd + al-Rahman is one kunya name


def test_names_short_form_resolves_inside_item() -> None:
    full = ["Abu Hudhayfah Al-Ansari", "Maria Zakharova"]
    assert resolve_short_form("Al Ansari", full) == "Abu Hudhayfah Al-Ansari"
    assert resolve_short_form("Zakharova", full) == "Maria Zakharova"
    assert resolve_short_form("al-Muhajir", full) is None


def test_names_blocking_key_shared_by_variants() -> None:
    assert name_key("Abu Hudhayfah al-Ansari") == name_key("Abu Huthaifa al-Ansari")
