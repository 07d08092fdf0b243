"""The English screen at ingest: other scripts and other Latin-script languages are told apart from English."""

from __future__ import annotations

import pytest

from amu.ingest.language import check_language

from conftest import REPORT, SEEDS

NOT_ENGLISH = {
    "Cyrillic": "В пятницу вечером в концертном зале в Красногорске неизвестные открыли стрельбу по посетителям. "
                "По данным Следственного комитета, погибли более 140 человек, еще сотни получили ранения. "
                "Ответственность за нападение взяла на себя группировка. Задержаны четыре гражданина Таджикистана.",
    "Arabic": "روز جمعه یک انفجار در بازار شهر کابل رخ داد که در نتیجه آن دست کم ده نفر کشته و بیست نفر دیگر "
              "زخمی شدند. گروه داعش خراسان مسئولیت این حمله را بر عهده گرفت. مقامات محلی گفتند که تحقیقات ادامه "
              "دارد و جزئیات بیشتر به زودی اعلام خواهد شد.",
    "Latin": "Juma kuni kechqurun Toshkent shahridagi bozorda portlash sodir bo'ldi. Ichki ishlar vazirligi "
             "ma'lumotlariga ko'ra, hodisa natijasida uch kishi halok bo'ldi va o'n kishi jarohat oldi. Huquqni "
             "muhofaza qilish organlari gumonlanuvchilarni qidirmoqda. Tergov davom etmoqda va tafsilotlar "
             "aniqlanmoqda, deb xabar berdi rasmiy manbalar bugun ertalab.",
}


@pytest.mark.parametrize("script", sorted(NOT_ENGLISH))
def test_other_languages_are_not_english(script):
    check = check_language(NOT_ENGLISH[script])
    assert not check.english and check.script == script and check.judged


def test_turkish_is_not_english():
    text = ("Cuma akşamı İstanbul'daki bir gece kulübüne düzenlenen silahlı saldırıda otuz dokuz kişi hayatını "
            "kaybetti ve altmıştan fazla kişi yaralandı. Saldırının sorumluluğunu İslam Devleti örgütü üstlendi. "
            "Emniyet yetkilileri saldırganın Özbekistan vatandaşı olduğunu açıkladı ve soruşturmanın sürdüğünü "
            "bildirdi.")
    assert check_language(text).description == "Latin script, not English"


def test_english_reports_with_foreign_names_are_english():
    assert check_language(REPORT).english
    quoted = REPORT + " The statement, titled «Хорасан» in Russian, named Abdulloh and Kulob's bazaar."
    assert check_language(quoted).english


def test_seed_reports_are_english():
    if not SEEDS.exists():
        pytest.skip("../shared/corpus/seeds not found")
    for path in sorted(SEEDS.glob("*.txt")):
        assert check_language(path.read_text(encoding="utf-8")).english, path.name


def test_short_texts_are_not_judged():
    check = check_language("Взрыв в Кулябе")
    assert check.english and not check.judged
