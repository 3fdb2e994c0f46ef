"""A small bilingual glossary of the vocabulary of diplomatic statements and
their press coverage (summits, cooperation, development, security), written
for this library.

It holds only what JMdict (:mod:`.vocabulary`) lacks: an entry every stem
of which JMdict's glosses of the same word already give is left out (57
were, leaving 207; コロナ ~ covid was added since: 208; ``tests/test_coverage_dictionaries.py`` keeps it so).

Why a glossary and not only the encoder: embedding single words pairs words
that merely sit near each other (日 ~ Tuesday, 促進 ~ strengthen, 一致 ~
coincides). A gloss shown to a fact-checker must be a translation, so the
evidence and the re-ranking of :func:`~jp_en_align.coverage.compare` use these
pairs, and the encoder's word pairs only where the glossary knows neither word.

Each line: a Japanese term, then English *stems* separated by ``|``. A stem
matches an English word that starts with it (``upgrad`` ~ upgrade, upgraded,
upgrading); a stem ending in ``$`` must match the whole word; a stem with a
space is a phrase. Japanese terms are found as substrings of the official
sentence, so the longer, more specific term is listed beside its parts.

Example:
    >>> g = Glossary()
    >>> pairs = dict(g.shared("二国間関係を包括的・戦略的パートナーシップに格上げする。",
    ...                       "They upgraded ties to a comprehensive strategic partnership."))
    >>> pairs["格上げ"], pairs["関係"]
    ('upgraded', 'ties')
"""

from __future__ import annotations

import re
from functools import lru_cache

_GLOSSARY = """
首脳会談: summit|talks$|meeting
首脳会議: summit
首脳: leader|summit
総理大臣: prime minister|premier|pm$
首相: prime minister|premier|pm$
国家主席: president
夫人: wife|spouse|mrs$
代表団: delegation
訪問: visit|trip$|travel
実務訪問賓客: working visit|official visit
公式訪問: official visit
往来: visit|exchange|travel
相互訪問: mutual visit|reciprocal visit
会談: talks$|met$|meeting|summit
会合: meeting|session
協議: consultation|dialogue|talks$
対話: dialogue|talks$
次官級: vice-minister|vice minister|vice-level
局長級: director-general|director general
外務: foreign affairs|foreign minist|diplomatic$|diplomacy
外交ルート: diplomatic channel
外交関係: diplomatic relation|diplomatic ties
外交: diplomatic|diplomacy
国交: diplomatic relation|diplomatic ties
周年: anniversar|years of
記念: mark|commemorat|celebrat|anniversar
節目: milestone|landmark|mark
祝福: celebrat|congratulat
関係: relation|ties$|relationship
二国間: bilateral|two countries|both countries
両国: two countries|both countries|bilateral|both sides
両首脳: leaders|both leaders|two leaders
国際: international|global
コロナ: covid|coronavirus|pandemic
国際機関: international organi
格上げ: upgrad|elevat|rais
引き上げ: elevat|rais|lift
共同声明: joint statement
声明: statement|declaration
発出: issu|release
一致: agre|concur|consensus
合意: agree|accord|deal$
確認: confirm|reaffirm|agreed
再確認: reaffirm
評価: prais|appreciat|valu|commend|welcom|hail
高く評価: prais|highly|commend
強調: stress|emphasi|underline|underscore
表明: express|announc|said$|stated
意向: intention|intend|will$|pledg|plan
期待: hope|expect|look forward
将来: future|eventual|one day
認識: recogni|acknowledg|shared view|understand
留意: note|noted|took note
称賛: prais|commend|applaud
謝意: thank|gratitude|appreciat
支援: support|assist|aid$|help
協力: cooperat|collaborat|work together|partner
強化: strengthen|reinforc|enhanc|bolster|step up|deepen|boost
拡大: expan|widen|increas|grow|enlarg
促進: promot|encourag|facilitat|advanc|boost
推進: promot|advanc|push|pursu|drive
進展: progress|advanc
成果: result|outcome|achievement|fruit
立ち上げ: launch|establish|set up|start
新たに: new$|newly
開催: hold|held$|host|convene
日時: date$|timing|when$
開催地: venue|location|where$
安全保障: security
防衛: defen|military
国防省: defen|military
防衛駐在官: defen|attach|military
人道支援: humanitarian
災害救援: disaster relief
資機材: equipment|material
覚書: memorandum|mou$
議会: parliament|legislat|lawmaker|assembl
議員連盟: friendship league|parliamentar|lawmaker
地方議会: local assembl|local council
政党: political part|parties
政府: government
法技術支援: legal technical|legal assistance|judicial
法制度整備: legal system|legal and judicial|judicial|legal development
法の支配: rule of law
市場経済: market economy
共同研究: joint research
企業: compan|firm|business
日系企業: japanese compan|japanese firm|japanese business
雇用: job|employ
ビジネス環境: business environment|business climate
投資環境: investment environment|investment climate
財政: fiscal|financ|public financ|budget
財政安定化: fiscal stabili|fiscal consolidation
農業: agricultur|farm
保健: health
医療: medical|health
気候変動: climate
不発弾: unexploded|uxo$|ordnance|bomb
除去: clear|remov|disposal
インドシナ戦争: indochina war|vietnam war
住民: resident|people|villager
整備: develop|build|improv|upgrad|construct
連結性: connectivity
強じん性: resilien
脱炭素: decarboni|carbon
ネット・ゼロ: net zero|net-zero
エネルギー: energy
エネルギー安全保障: energy security
エネルギー移行: energy transition
経済成長: economic growth
グリーン成長: green growth
クリーンエネルギー: clean energy|clean-energy
クリーン電力: clean power|clean electricity
電力: power|electric
供給: supply|supplies
水資源: water resource|hydropower|rivers
防災: disaster|risk reduction
大雨: heavy rain|rainfall
後発開発途上国: least developed|ldc$
中高所得国: upper-middle-income|middle-income|upper middle income
持続可能な開発目標: sustainable development goals|sdgs$
持続可能: sustainab
国家社会経済開発計画: socio-economic development plan|national development plan|socioeconomic development plan
東西経済回廊: east-west economic corridor|east-west corridor|economic corridor
過積載: overload
直行便: direct flight|nonstop flight|direct air
万博: expo
大阪・関西万博: osaka|expo 2025
国際園芸博覧会: horticultural|garden expo|horticulture
横浜: yokohama
特定技能: specified skilled|skilled worker
人材: worker|talent|human resource|personnel
受入れ: accept|receiv|host|welcom
経営者: business leader|executive|manager
人的交流: people-to-people|exchange
文化交流: cultural exchange
交流: exchange|ties$
青年海外協力隊: volunteer|jocv$|overseas cooperation
協力隊: volunteer|jocv$
派遣: dispatch|send|sent$|deploy|provid
日本語教育: japanese-language|japanese language
青少年: youth|young
若い世代: young|youth|generation
奨学: scholarship
留学生: student
バリアフリー: barrier-free|accessib
障害者: disabilit|disabled
ビザ免除: visa-free|visa waiver|visa exemption|without a visa
滞在期間: stay|length of stay
延長: extend|extension|prolong|longer
前向きに検討: positively consider|consider|look into
検討: consider|study|review|look into|look at|explor
国連安保理: security council|unsc$
安保理: security council
常任理事国: permanent member|permanent seat
非常任: non-permanent
国連憲章: un charter|charter
国際法: international law
国連海洋法条約: unclos$|law of the sea
海洋: maritime|sea$|ocean
航行: navigation
安定: stabili|stable
自由で開かれた: free and open
インド太平洋: indo-pacific|indo pacific
中心性: centrality
一体性: unity
議長国: chair|chairmanship|presidency
朝鮮半島: korean peninsula
弾道ミサイル: ballistic missile|missile
拉致問題: abduction
ミャンマー: myanmar
停止: end$|halt|stop|cessation
ウクライナ: ukrain
ガザ: gaza
停戦: ceasefire|cease-fire|truce
解放: release|freed|free$
中東: middle east|mideast
二国家解決: two-state solution
パレスチナ: palestin
犯罪: crime|criminal
不拡散: non-prolifer|nonprolifer|proliferation
軍縮: disarmament
メコン: mekong
メコン河委員会: mekong river commission
水棲生物資源: aquatic|fish|fisher
科学的根拠: science|scientific
ゼロエミッション: zero emission|zero-emission
共同体: community
付属文書: annex|appendix
各分野: each field|each area|various field|every field|all field
分野: field|area|sector|domain
あらゆる分野: all field|all area|every field|various field|every area
多くの分野: many field|many area|various field|numerous field
過去70年: past 70|70 years|seven decades
10年間: decade|ten years|10 years
過去: past|over the years
歴史: history
相互: mutual|each other|reciprocal
人民民主共和国: people's democratic republic|people|democratic|republic
民主: democratic
地域: region|regional|local
国際社会: international community|world
世界: world|global
東南アジア: southeast asia|south-east asia|asean
日本: japan
ラオス: laos$|lao$|laotian
東京: tokyo
ビエンチャン: vientiane"""

_WORD = re.compile(r"[a-z][a-z\-']*")
_KEY_LETTERS = 4  # stems are indexed by this many first letters
_WORD_PART = re.compile(r"[a-z][a-z']*")  # a stem may start inside a hyphenated word


def _stem_pattern(stem: str) -> str:
    whole = stem.endswith("$")
    stem = stem.rstrip("$")
    # a stem runs on to the end of its word, not past a hyphen (japan, not japan-laos)
    return r"\b" + re.escape(stem).replace(r"\ ", r"\s+") + (r"\b" if whole else r"[a-z']*")


class Glossary:
    """Japanese terms and the English words that translate them (see the module
    docstring). Built once; lookups are cached per sentence."""

    def __init__(self, text: str = _GLOSSARY) -> None:
        self.entries: dict[str, re.Pattern[str]] = {}
        # entries by the first (up to) four letters of their stems: a sentence
        # is tried only against entries one of its words could start
        self._by_start: dict[str, set[str]] = {}
        for line in text.strip().splitlines():
            ja, _, stems = line.partition(":")
            ja = ja.strip()
            stems_ = [s.strip().lower() for s in stems.split("|")]
            self.entries[ja] = re.compile("|".join(_stem_pattern(s) for s in stems_))
            for stem in stems_:
                first = _WORD.match(stem)
                key = stem[:min(_KEY_LETTERS, len(first.group()))] if first else stem[:2]
                self._by_start.setdefault(key, set()).add(ja)
        self._rank = {ja: i for i, ja in enumerate(self.entries)}

    def ja_terms(self, ja_text: str) -> frozenset[str]:
        """Glossary terms the Japanese text contains."""
        return _ja_terms(self, ja_text)

    def en_hits(self, en_text: str, terms: frozenset[str] | None = None) -> dict[str, str]:
        """Japanese term -> the English words of ``en_text`` that translate it
        (only for ``terms`` when given), in glossary order."""
        low = en_text.lower()
        possible = set().union(*(_entries_starting(self, word)
                                 for word in set(_WORD_PART.findall(low))))
        if terms is not None:
            possible &= terms
        return self.hits_among(low, possible)

    def hits_among(self, low: str, possible: set[str]) -> dict[str, str]:
        """Japanese term -> the words of the lower-cased text ``low`` that
        translate it, for the ``possible`` terms only, in glossary order."""
        out = {}
        for ja in sorted(possible, key=self._rank.__getitem__):
            m = self.entries[ja].search(low)
            if m:
                out[ja] = " ".join(m.group().split())
        return out

    def shared(self, ja_text: str, en_text: str) -> list[tuple[str, str]]:
        """``(japanese, english)`` pairs: glossary terms of the Japanese text that
        the English text translates, in glossary order."""
        hits = self.en_hits(en_text, self.ja_terms(ja_text))
        return list(hits.items())


@lru_cache(maxsize=100_000)
def _entries_starting(glossary: Glossary, word: str) -> frozenset[str]:
    """The entries a stem of which may start at the start of ``word`` (cached:
    a press text repeats its words)."""
    return frozenset().union(*(glossary._by_start.get(word[:n], ())
                               for n in range(1, min(_KEY_LETTERS, len(word)) + 1)))


@lru_cache(maxsize=20_000)
def _ja_terms(glossary: Glossary, ja_text: str) -> frozenset[str]:
    return frozenset(ja for ja in glossary.entries if ja in ja_text)


def english_content(en_text: str) -> list[str]:
    """Lower-cased words of an English text (for counting what a gloss explains)."""
    return _WORD.findall(en_text.lower())
