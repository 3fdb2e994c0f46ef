"""Judging one press sentence: which official sentences it reports, with what
evidence and conflicts, and its label. :func:`~jp_en_align.coverage.compare`
builds one :class:`RowScorer` per comparison and calls :meth:`RowScorer.row`.

How a row is decided:

1. Candidates: the official sentences whose units (the sentence or one of its
   clauses) rank highest by calibrated cosine.
2. Evidence per candidate: glossary translations (:mod:`.lexicon`), shared
   numbers, names and loanwords (:mod:`jp_en_align.aligner.evidence`), each
   weighted by how *specific* it is (idf over the official sentences: 包括的
   counts, ラオス hardly). Evidence re-ranks the candidates and lifts the score.
3. Matches: the best candidate, plus every further candidate that explains
   press words the earlier ones do not (a press sentence that combines the
   vice-ministerial dialogues on foreign affairs *and* defence reports two
   paragraphs).
4. Conflicts (:mod:`.facts`): dates, years, anniversaries, durations both
   sides state differently. A conflicting row is at most ``partial`` and
   loses ``conflict_penalty``: a weak match that contradicts a date falls.
5. Label from the row score (thresholds in :class:`Thresholds`); a short
   line that stands out for its unit, or that the one-to-one pairing of
   :func:`~jp_en_align.coverage.compare` gives its own best match, is
   ``partial`` at least (dialogue, where every line resembles every other).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

import re

from ..aligner.evidence import Evidence, NameIndex, _ja_terms, quantities, shared_evidence
from ..text.sentence import Sentence
from .facts import conflicts, facts_en, facts_ja, name_conflicts
from .names import OfficialNames
from .report import CoverageRow, Match
from .sharing import Sharing
from .vocabulary import Vocabulary
from .words import _EN_STOP

@dataclass(frozen=True)
class Thresholds:
    """Label thresholds in calibrated units (standard deviations above an
    unrelated pair), and how much evidence counts. Chosen on the hand-made
    press paraphrases (benchmarks/data/press_paraphrases.jsonl: faithful
    paraphrases score lower than translations, so `support` sits between them
    and the distractors) and checked on the translation-based problems of
    benchmarks/bench_compare.py; see the module docstring.

    Example:
        >>> strict = Thresholds(support=6.0)    # fewer, surer matches
        >>> strict.support > Thresholds().support
        True
    """

    support: float = 5.5
    # a match through one clause of a long sentence needs this much more: the
    # clauses are many more chances to resemble a press sentence by accident
    clause_support: float = 0.5
    paraphrase: float = 7.5
    translation: float = 10.0
    # below `support`: `unrelated` (another story, boilerplate) when the score is
    # also below this and the evidence is weaker than `unrelated_evidence`
    unrelated: float = 3.0
    unrelated_evidence: float = 1.0
    max_matches: int = 4
    # a further official sentence is a match when it scores `support` and explains
    # at least this many press words (or numbers) the earlier matches do not
    new_words_for_match: int = 2
    evidence_weight: float = 1.0  # calibrated units added per (informative) shared item
    evidence_cap: float = 3.0
    evidence_rank_weight: float = 2.5  # the same, for ranking the candidates only (uncapped)
    dictionary_weight: float = 0.5  # share of that a JMdict word (not in the glossary) counts
    # names the official text never mentions ("amid China's rise", a kickboxer's
    # name) count against a press sentence: this much each, at most `novelty_cap`
    novelty_weight: float = 0.5
    novelty_cap: float = 2.0
    # a date, year or person the best match states differently is evidence
    # against it (a roundtable on January 22 is not the summit of January 21):
    # a strong match stays `partial` with its conflict shown, a weak one falls
    conflict_penalty: float = 3.0
    # share of the press sentence's content words its matches explain (glossary,
    # names, numbers)
    paraphrase_coverage: float = 0.3
    translation_coverage: float = 0.6
    # a press sentence that is its official unit's best match and scores this
    # much above any other official sentence is `partial` at least (when it
    # scores `unrelated` or more): short translations ("How are you doing?")
    # score low in dialogue, where every line resembles every other
    standout: float = 1.0
    # ... and so is one that a one-to-one pairing of press and official
    # sentences by score (competitive linking) pairs with its own best match,
    # when it scores this much: a translated line wins its counterpart
    linked: float = 4.0


_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z\-']+")
_EPS = 1e-9  # bounds are sums in another order than the strengths they bound


@dataclass
class RowScorer:
    """Scores the shortlisted official units of one press sentence and labels it."""

    candidates: list[Sentence]
    owner: np.ndarray  # unit -> position in candidates
    unit_clause: list[str | None]
    th: Thresholds
    idf: dict[str, float]
    names: NameIndex
    glossary: Vocabulary
    official_names: OfficialNames
    official_terms: frozenset[str]  # glossary terms anywhere in the official text
    official_quantities: frozenset[str] = frozenset()  # numbers and months anywhere in it
    # press text -> its glossary hits among official_terms (asked for the bound,
    # the row and the name check of each press sentence: computed once)
    _hits: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    # words the press text writes in lower case inside a sentence: capitalised
    # elsewhere they are a headline's common words ("Makes Official Visit"),
    # not names (the orthographic evidence sentence splitters use)
    lowercase_words: frozenset[str] = frozenset()
    # official sentence (position in official_names' texts) -> candidate position
    name_candidate: dict[int, int] = field(default_factory=dict)
    # how much higher the short-line rules' bars are (a press text many times
    # the official one: see compare)
    by_chance: float = 0.0

    def __post_init__(self) -> None:
        self._owner: list[int] = self.owner.tolist()
        self.sentence_unit: dict[int, int] = {}  # candidate -> its whole-sentence unit
        for u, k in enumerate(self.owner):
            self.sentence_unit.setdefault(int(k), u)
        self.sharing = Sharing([c.normalized for c in self.candidates], self.official_names)
        self._static: dict[int, float] = {}  # candidate -> its names, loanwords... at their idf

    def termed(self, hits: dict[str, str], most: int = 2) -> list[int]:
        """Candidates holding a term the press sentence translates that at most
        ``most`` candidates hold (外務 of 外務次官級協議: the second fact of a
        sentence that reports two)."""
        if not hasattr(self, "_by_term"):
            self._by_term: dict[str, list[int]] = {}
            for k, c in enumerate(self.candidates):
                for t in self.glossary.ja_terms(c.normalized):
                    self._by_term.setdefault(t, []).append(k)
        out: list[int] = []
        for ja in hits:
            where = self._by_term.get(ja, ())
            if 0 < len(where) <= most:
                out += [k for k in where if k not in out]
        return out

    def named(self, press: str) -> list[int]:
        """Candidates that name something specific the press sentence names."""
        return [self.name_candidate[i] for i in self.official_names.texts_naming(press)
                if i in self.name_candidate]

    def official_hits(self, en_text: str) -> dict[str, str]:
        """Glossary terms of the official text that ``en_text`` translates."""
        hits = self._hits.get(en_text)
        if hits is None:
            hits = self._hits[en_text] = self.glossary.en_hits(en_text, self.official_terms,
                                                               one_sentence=False)
        return hits

    def evidence_bound(self, press: str) -> float:
        """About the most evidence strength any official sentence can share
        with ``press`` (cheap: the glossary terms, numbers and known names of
        the whole official text it mentions, each at its idf or at 1)."""
        hits = self.official_hits(press)
        known = [w for w in _CAPITALISED.findall(press)
                 if self.names.knows(w) or self.official_names.knows(w)]
        # a dictionary word counts `dictionary_weight` in a row's strength too
        dictionary = self.th.dictionary_weight
        return (sum(self.idf.get(ja, 1.0) * (dictionary if self.glossary.from_dictionary(ja)
                                             else 1.0) for ja in hits) + len(known)
                + len(quantities(press, "en") & self.official_quantities))

    def candidate_bound(self, k: int, press: str, hits: dict[str, str],
                        tight: bool = False) -> float:
        """At least the evidence strength candidate ``k`` can share with
        ``press`` (cheap: every name, loanword and Latin word of the candidate at
        its idf, the numbers both have, the glossary terms the press translates).
        ``tight``: only the names, loanwords and Latin words the press sentence
        may write (:class:`.sharing.Sharing`)."""
        if k not in self._static:
            self._static[k] = sum(self.idf.get(x, 1.0) for x in self.sharing.items(k))
        static = (sum(self.idf.get(x, 1.0) for x in self.sharing.items(k)
                      & self.sharing.writable(press)) if tight else self._static[k])
        dictionary = self.th.dictionary_weight
        terms = self.glossary.ja_terms(self.candidates[k].normalized)
        return (static + sum(self.idf.get(x, 1.0) for x in self.sharing.numbers(k, press))
                + sum(self.idf.get(ja, 1.0) * (dictionary if self.glossary.from_dictionary(ja)
                                               else 1.0) for ja in hits if ja in terms))

    def _evidence(self, k: int, press: Sentence, hits: dict[str, str]) -> tuple[Evidence, float,
                                                                                 set[str]]:
        """Evidence one candidate shares with the press sentence, its strength
        (idf-weighted) and the English words it explains."""
        official = self.candidates[k].normalized
        terms = self.glossary.ja_terms(official)
        if not self.sharing.may_share(k, press.normalized):
            if not any(ja in terms for ja in hits):
                return Evidence(), 0, set()  # nothing shared (most candidates of most rows)
            ev = Evidence()
        else:
            ev = _with_names(shared_evidence(official, press.normalized),
                             self.official_names.shared(official, press.normalized))
        # english word -> the Japanese term it translates here: a glossary term
        # before a JMdict word (関係 = relations, not 関する), then the longest
        gloss: dict[str, str] = {}
        prefer = {ja: (not self.glossary.from_dictionary(ja), len(ja)) for ja in hits if ja in terms}
        for ja, en in hits.items():
            if ja in terms and (en not in gloss or prefer[ja] > prefer[gloss[en]]):
                gloss[en] = ja
        sound_words = [w for w in ev.words if w.split("=")[0] not in gloss.values()]
        named = {ja for ja, _ in ev.names} | {w.split("=")[0] for w in sound_words}
        latin = {w for w in sound_words if "=" not in w}  # written alike on both sides
        # one gloss per fact: not a name again (日本=Japan), not a Latin word again
        # (management beside マネージメント), not a part of a longer gloss (外交
        # inside 外交関係=diplomatic relations)
        pairs = [(ja, en) for en, ja in gloss.items() if ja not in named
                 and en.lower() not in latin and not any(
                     ja != ja2 and ja in ja2 and en in en2 for en2, ja2 in gloss.items())]
        words = tuple(sound_words) + tuple(f"{ja}={en}" for ja, en in pairs)
        dict_terms = {ja for ja, _ in pairs if self.glossary.from_dictionary(ja)}
        ev = Evidence(numbers=ev.numbers, names=ev.names, words=tuple(dict.fromkeys(words)))
        # a dictionary word counts for less than a name, a number or a glossary
        # term (one sense of several, and common words share glosses)
        # an item counts as specific as the commonest item the same press words
        # name (Laos for ラオス人民民主共和国 is as common as ラオス)
        items = [*((ja, en) for ja, en in ev.names), *(w.split("=", 1) for w in ev.words
                                                        if "=" in w)]
        common: dict[str, float] = {}
        for ja, en in items:
            for w in en.lower().split():
                common[w] = min(common.get(w, 1.0), self.idf.get(ja, 1.0))
        weight = {ja: min([self.idf.get(ja, 1.0), *(common[w] for w in en.lower().split())])
                  for ja, en in items}
        strength = sum(weight.get(x, self.idf.get(x, 1.0))
                       * (self.th.dictionary_weight if x in dict_terms else 1.0)
                       for x in ev.keys())
        explained = ({w.lower() for _, en in ev.names for w in en.split()}
                     | {w for item in ev.words for w in item.split("=")[-1].lower().split()}
                     | {n for n in ev.numbers})
        return ev, strength, explained

    def row(self, press: Sentence, press_words: tuple[str, ...], z: np.ndarray,
            rank_z: np.ndarray, cos: np.ndarray, shortlist: np.ndarray,
            hopeful: bool = True, line: int | None = None,
            standout: int | None = None, linked: int | None = None) -> CoverageRow:
        th = self.th
        hits = self.official_hits(press.normalized) if hopeful else {}
        units = shortlist.tolist()
        # candidate -> its best-ranked unit on the shortlist: the first, and where
        # evidence could make a match
        best_unit: dict[int, int] = {self._owner[units[0]]: units[0]}
        if hopeful:
            for u, zu in zip(units[1:], z[shortlist[1:]].tolist()):
                k = self._owner[u]
                if k not in best_unit and zu + th.evidence_cap >= th.support \
                        and zu + min(th.evidence_cap, th.evidence_weight * self.candidate_bound(
                            k, press.normalized, hits)) >= th.support:
                    best_unit[k] = u
            # sentences that share a specific name or term, however far by cosine
            for k in self.named(press.normalized) + self.termed(hits):
                best_unit.setdefault(k, self.sentence_unit[k])
        scored: list[tuple] = []
        top = -np.inf  # the best rank so far
        for k, u in best_unit.items():
            if scored:  # skip a candidate that can neither come first nor be a match
                reach = self.candidate_bound(k, press.normalized, hits, tight=True) + _EPS
                if float(z[u]) + min(th.evidence_cap, th.evidence_weight * reach) < th.support \
                        and float(rank_z[u]) + th.evidence_rank_weight * reach < top:
                    continue
            ev, strength, explained = self._evidence(k, press, hits)
            rank = float(rank_z[u]) + th.evidence_rank_weight * strength
            score = float(z[u]) + min(th.evidence_cap, th.evidence_weight * strength)
            scored.append((rank, score, k, u, ev, strength, explained))
            top = max(top, rank)
        scored.sort(key=lambda t: -t[0])

        # the best candidate, then those that explain something the earlier ones do not
        chosen = [scored[0]]
        covered = set(scored[0][6])
        for cand in scored[1:]:
            if len(chosen) >= th.max_matches:
                break
            new = cand[6] - covered
            if cand[1] >= th.support and len(new) >= th.new_words_for_match:
                chosen.append(cand)
                covered |= cand[6]
        facts = [facts_ja(self.candidates[c[2]].normalized) for c in chosen]
        # no official facts, no conflicts
        press_facts = facts_en(press.normalized) if any(facts) else ()
        matches = []
        for i, (_, score, k, u, ev, _, _) in enumerate(chosen):
            others = tuple(f for j, fs in enumerate(facts) if j != i for f in fs)
            clash = tuple(conflicts(facts[i], press_facts, others))
            matches.append(Match(self.candidates[k], round(score, 3), round(float(cos[u]), 4),
                                 self.unit_clause[u], ev, clash))
        coverage = (round(len({w for w in press_words if w in covered}) / len(press_words), 3)
                    if press_words else 0.0)
        foreign = tuple(n for n in self.names.foreign_names(press.normalized, self._common_word)
                        if n.lower() not in covered)
        # a name of the best match that no press word was matched to may be one
        # of these, spelt as its reading cannot tell (碧山 Aoiyama, 浜名湖 Lake
        # Hamana): the label counts only the names beyond those as added (the
        # score still pays for every name the official text lacks)
        added = foreign[_unread_names(self.candidates[chosen[0][2]].normalized, chosen[0][4]):]
        # another person in the role the best match names someone in
        people = name_conflicts(matches[0].official.normalized, press.normalized, set(foreign))
        if people:
            matches[0] = replace(matches[0], conflicts=matches[0].conflicts + tuple(people))
        score = round(matches[0].score - min(th.novelty_cap, th.novelty_weight * len(foreign))
                      - (th.conflict_penalty if matches[0].conflicts else 0.0), 3)
        label = self.label(score, coverage, bool(added), matches[0].clause is not None,
                           any(m.conflicts for m in matches), chosen[0][5])
        # a short line far above the rest for its best match, or that wins it
        # in the one-to-one pairing, is a translation however low it scores
        if label in ("unsupported", "unrelated") and not matches[0].conflicts and (
                (chosen[0][2] == standout and score >= th.unrelated + self.by_chance)
                or (chosen[0][2] == linked and score >= th.linked + self.by_chance)):
            label = "partial"
        if label in ("unsupported", "unrelated"):
            return CoverageRow(press, label, (), matches[0], score, coverage, foreign, line)
        # the best first, the further ones by score
        ordered = (matches[0], *sorted(matches[1:], key=lambda m: -m.score))
        return CoverageRow(press, label, ordered, matches[0], score, coverage, foreign, line)

    def _common_word(self, word: str) -> bool:
        """Whether a capitalised press word is no name: the press text writes it
        in lower case elsewhere, or it translates a term of the official text."""
        # a contraction opening a quotation is no name (We're, I'm, What's)
        return (word in self.lowercase_words or word.split("'")[0] in _EN_STOP
                or self._glossary_knows(word) or self.official_names.knows(word))

    def _glossary_knows(self, word: str) -> bool:
        """Whether a press word translates a term somewhere in the official text
        (People, Republic for ラオス人民民主共和国)."""
        return bool(self.official_hits(word))

    def label(self, score: float, coverage: float, adds_names: bool, is_clause: bool,
              conflicting: bool, strength: float) -> str:
        th = self.th
        if score < th.support + (th.clause_support if is_clause else 0.0):
            # below `unrelated` and sharing nothing specific: another story or boilerplate
            if score < th.unrelated and strength < th.unrelated_evidence:
                return "unrelated"
            return "unsupported"
        if conflicting or adds_names or coverage < th.paraphrase_coverage or score < th.paraphrase:
            return "partial"
        if score >= th.translation and coverage >= th.translation_coverage and not is_clause:
            return "translation"
        return "paraphrase"



def _unread_names(official: str, ev: Evidence) -> int:
    """How many names (sudachi's proper nouns) of ``official`` its evidence
    with a press sentence matched to no press word."""
    matched = {ja for ja, _ in ev.names} | {w.split("=")[0] for w in ev.words}
    return sum(1 for t in _ja_terms(official) if t.is_name and t.surface not in matched
               and not any(t.surface in m or m in t.surface for m in matched))


def _with_names(ev: Evidence, names: tuple[tuple[str, str], ...]) -> Evidence:
    """``ev`` with the names :class:`.names.OfficialNames` found: a longer
    Japanese name replaces the parts it contains (チャオ・アヌウォン for チャオ)."""
    merged = list(ev.names)
    for ja, en in names:
        if any(ja in ja2 and set(en.split()) <= set(en2.split()) for ja2, en2 in merged):
            continue
        claimed = {w.lower() for ja2, en2 in merged if ja2 not in ja for w in en2.split()}
        claimed |= {w.split("=")[-1].lower() for w in ev.words}
        if {w.lower() for w in en.split()} <= claimed:
            continue  # these press words already name something (Laos: ラオス)
        merged = [(ja2, en2) for ja2, en2 in merged if not (ja2 in ja and set(en2.split())
                                                            <= set(en.split()))]
        merged.append((ja, en))
    # one press name is one piece of evidence: a name inside a longer one that
    # holds its English words too goes (Siphandone inside Sonexay Siphandone,
    # however often the official sentence writes the surname)
    merged = [(ja, en) for ja, en in merged
              if not any((ja, en) != (ja2, en2) and ja in ja2 and set(en.split()) <= set(en2.split())
                         for ja2, en2 in merged)]
    if len(merged) == len(ev.names) and set(merged) == set(ev.names):
        return ev
    return Evidence(numbers=ev.numbers, names=tuple(sorted(merged)), words=ev.words)
