"""Russian reports: the same records as English ones, from lemmas and amu/data/ru.json (sentences written here)."""

from __future__ import annotations

from amu.extract import extract
from amu.extract.mentions import ExtractOptions
from amu.extract.russian import extract_russian
from amu.ingest import document_from_text
from amu.resolve.incidents import fuse_mentions

OPTS = ExtractOptions(use_model=False)
KULOB_RU = ("В пятницу вечером в Кулябе смертник взорвал себя у здания отделения милиции. "
            "Погибли пять человек, еще 12 получили ранения. "
            "Ответственность за нападение взяло на себя «Исламское государство».")


def run(text: str, published: str | None = "2024-03-16"):
    return extract(document_from_text(text, "r.txt", published=published), OPTS)


def test_a_russian_attack_report_gives_one_attack_with_its_figures_place_day_and_group():
    ms = run(KULOB_RU)
    assert [(m.event_type, m.attack_type, m.location, m.country) for m in ms] == \
        [("attack", "suicide_bombing", "Kulob", "TJ")]
    m = ms[0]
    assert m.date.iso == "2024-03-15"          # the Friday before a Saturday's report
    assert (m.killed.min, m.killed.max, m.wounded.min) == (5, 5, 12)
    assert m.perpetrator == "IS"
    assert m.evidence.text.startswith("В пятницу") and m.evidence.start == 0


def test_inflected_places_and_numbers_are_read_by_their_lemmas():
    ms = run("Сотрудники ФСБ задержали в Москве трех граждан Таджикистана, готовивших нападение на торговый центр.")
    assert [(m.event_type, m.location, m.arrested.min, m.perpetrator_nationality) for m in ms] == \
        [("arrest", "Moscow", 3, ["TJ"])]


def test_a_blast_with_no_word_of_political_violence_yields_nothing():
    assert run("В жилом доме в Душанбе взорвался газовый баллон. Погибли два человека, трое ранены.") == []


def test_the_pronoun_kto_is_not_the_abbreviation_for_a_counter_terrorist_operation():
    text = "Неизвестно, кто устроил поджог склада в Бишкеке. Пострадавших нет, сообщили в полиции."
    assert extract_russian(document_from_text(text, "r.txt", published="2024-03-16")) == []


def test_the_attackers_killed_are_not_the_victims():
    ms = run("В Дербенте боевики напали на пост полиции в воскресенье. Убиты четверо нападавших, погиб один "
             "полицейский.", published="2024-06-24")
    assert ms and ms[0].killed.min == 1


def test_a_russian_and_an_english_report_of_one_attack_fuse_into_one_incident():
    ru = run(KULOB_RU)
    en = extract(document_from_text("A suicide bomber blew himself up outside a police station in Kulob on Friday, "
                                    "killing five people and wounding 12, officials said. Islamic State claimed "
                                    "the attack.", "e.txt", published="2024-03-16"), OPTS)
    assert len(ru) == len(en) == 1
    fuse_mentions(ru + en)
    assert ru[0].incident == en[0].incident


def test_a_day_and_month_beat_the_weekday_and_the_report_completes_the_sentence():
    text = ("Утром во вторник, 17 декабря, в Москве у подъезда жилого дома сработало взрывное устройство. "
            "Погиб один человек. Следователи считают, что нападение организовали сторонники ИГИЛ.")
    ms = extract_russian(document_from_text(text, "r.txt"))
    assert [(m.event_type, m.location) for m in ms] == [("attack", "Moscow")]
    assert ms[0].date is None and ms[0].date_hint == "--12-17"   # no publication date: the day is a hint
    assert ms[0].attack_type == "bombing" and ms[0].perpetrator == "IS" and ms[0].killed.min == 1


def test_a_toll_over_two_groups_is_their_sum_but_the_next_figure_is_not_added():
    ms = run("В колонии строгого режима в Вахдате заключенные, сторонники ИГИЛ, устроили бунт в воскресенье: "
             "убиты три охранника и 29 заключенных.", published="2019-05-20")
    assert ms and ms[0].killed.min == 32
    assert run(KULOB_RU)[0].killed.min == 5


def test_a_remembrance_recalls_an_old_attack_and_yields_no_incident():
    text = ("Год назад, 29 июля, в Дангаринском районе боевики совершили нападение на группу иностранных "
            "велотуристов. Четверо из них были убиты. В годовщину теракта в Дангаре прошли траурные мероприятия.")
    assert run(text, published="2019-07-30") == []
    assert len(run(text.replace("Год назад, 29 июля", "Вчера, 29 июля").split(" В годовщину")[0] + ".",
                   published="2019-07-30")) == 1


def test_victims_named_one_by_one_are_counted():
    # "погибли пограничник и сотрудник милиции": two people, each a singular noun (a genitive dependent is no one).
    ms = run("В субботу боевики напали на пограничную заставу в Хороге. В перестрелке погибли пограничник и "
             "сотрудник милиции.", published="2024-03-17")
    assert ms and ms[0].killed.min == 2
    ms = run("В четверг в Бишкеке произошел теракт: бомба взорвалась в машине чиновника. Погибли Петров и его "
             "водитель.", published="2024-03-15")
    assert ms and ms[0].killed.min == 2
