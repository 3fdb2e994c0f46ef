# %% [markdown]
# # The notebook workflow
#
# A script in "percent" cells: open it in Jupyter (with jupytext) or VS Code to
# run it cell by cell, or run it whole:
#
#     .venv/bin/python examples/notebook_workflow.py
#
# It aligns the example article, looks at the result as a DataFrame and as the
# HTML table a notebook shows, draws the similarity heatmap, and saves
# everything under `out/`.

# %%
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # so it runs from a checkout, installed or not

import matplotlib

if "ipykernel" not in sys.modules:
    matplotlib.use("Agg")  # no window when run as a script

import jp_en_align  # noqa: E402

DATA, OUT = ROOT / "examples" / "data", ROOT / "out"
OUT.mkdir(exist_ok=True)

ja = (DATA / "yamagata_ja.txt").read_text(encoding="utf-8")
en = (DATA / "yamagata_en.txt").read_text(encoding="utf-8")
corpus = jp_en_align.align(ja, en)
corpus  # in a notebook: an HTML table, scores shaded, unaligned rows in red

# %% [markdown]
# ## One row per pair, as a DataFrame

# %%
df = corpus.to_dataframe()
print(df[["ja_ids", "en_ids", "kind", "score"]].to_string())
print(df.groupby("kind")["score"].describe())

# %% [markdown]
# ## Selecting pairs: confident ones, and what was left unaligned

# %%
confident = corpus.filter(min_score=0.6, skip_unaligned=True)
print(f"{len(confident)} of {len(corpus)} pairs score 0.6 or more")
print("Japanese with no counterpart:", [s.text for s in corpus.unaligned_ja])
print("English with no counterpart:", [s.text for s in corpus.unaligned_en])
print(corpus.summary())

# %% [markdown]
# ## The HTML view (what the notebook displays), saved to a file

# %%
html_path = OUT / "yamagata.html"
corpus.to_html(html_path)  # a standalone page: summary, then every pair
print(f"HTML view: {html_path.relative_to(ROOT)}")

# %% [markdown]
# ## The similarity heatmap with the chosen path
#
# Rows are Japanese sentences, columns English ones; red boxes are the pairs.

# %%
fig = corpus.plot(OUT / "yamagata_heatmap.png")  # drawn once; corpus.plot(window=(0, 5)) zooms
print(f"heatmap: {(OUT / 'yamagata_heatmap.png').relative_to(ROOT)}")

# %% [markdown]
# ## Saving and loading: JSONL keeps everything

# %%
corpus.to_jsonl(OUT / "yamagata.jsonl")
again = jp_en_align.AlignedCorpus.from_jsonl(OUT / "yamagata.jsonl")
assert again == corpus  # sentences, spans, pairs, scores and settings all survive
print(f"saved and reloaded {len(again)} pairs from {(OUT / 'yamagata.jsonl').relative_to(ROOT)}")
