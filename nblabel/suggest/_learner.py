"""`nblabel.Learner`: the built-in predictor that learns from every answer (`Choices`, single or multiple).

Rules:
- with `encoder=` (a transformers model folder, a feature-extraction pipeline, or a callable texts → vectors)
  each distinct text is embedded once (cached; batches sorted by length so padding stays small) and the learner
  starts cold from label-name similarity; with no encoder a fast sparse text model (hashed word and character
  n-grams) suggests once it has one label per class;
- a linear head retrains in a background thread (never the caller's: messages arrive on the kernel's subshell
  thread and must not wait for a fit); a retrain starts when enough new answers arrived (1, 2, 4, … then every
  `retrain_every`), and each retrain bumps `model_version`, so cached suggestions are recomputed — from cached
  embeddings, which is cheap;
- `settle()` waits for a retrain that is due: the headless `current` calls it, so simulations are deterministic;
- `choice="multiple"`: one binary head per class (a class seen always or never keeps its smoothed rate); the
  suggestion is every class with p >= 0.5 (at least the likeliest one), scored by its least certain class;
- one lock guards the labels and the head; fitting happens outside it on a snapshot.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Callable

import numpy as np

from ..config._parse import Config
from . import _direct
from ._pipelines import is_pipeline
from ._sources import choice_item, object_field


class Learner:
    """A predictor that learns from the annotations of the Labeler it is given to.

    >>> lab = nblabel.Labeler(df, config, predictor=nblabel.Learner(encoder="path/to/all-MiniLM-L6-v2"))
    """

    def __init__(self, encoder: Any = None, *, retrain_every: int = 20, batch_size: int = _direct.BATCH_SIZE,
                 max_length: int = 256, C: float = 4.0, template: str = "This is {}.",
                 prior_weight: float = 5.0) -> None:
        self.prior_weight = prior_weight
        self.retrain_every, self.batch_size, self.max_length = max(1, int(retrain_every)), batch_size, max_length
        self.C, self.template = C, template
        self._encoder_arg = encoder
        self._encode: Callable[[list[str]], np.ndarray] | None = None
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.RLock()
        self._embed_lock = threading.Lock()  # one model call at a time (torch modules are not re-entrant here)
        self._labels: dict[str, tuple[str, tuple[str, ...]]] = {}  # task key → (text, labels in class order)
        self._pending = 0
        self._trained_on = 0
        self._head: Any = None
        self._version = 0
        self._thread: threading.Thread | None = None
        self._due = False
        self.error: str | None = None
        self.control = self.field = None
        self.classes: tuple[str, ...] = ()
        self.multiple = False

    # -- binding ---------------------------------------------------------------------------------------------
    def bind(self, config: Config) -> "Learner":
        """Attach to a config: the first Choices control is what the learner predicts."""
        control = next((c for c in config.controls.values() if c.type == "choices"), None)
        if control is None:
            raise ValueError("nblabel.Learner predicts Choices: the config has no <Choices> control")
        if control.dynamic or len(control.options) < 2:
            raise ValueError(f'nblabel.Learner needs <Choices name="{control.name}"> with two or more fixed options')
        field = object_field(config, control)
        if field is None:
            raise ValueError(f'<Choices name="{control.name}"> labels no object with a $field')
        if self.control is not None and (self.control.name, self.classes) != (control.name, control.options):
            raise ValueError("this Learner is already bound to another config: make a new nblabel.Learner()")
        self.control, self.field, self.classes = control, field, control.options
        self.multiple = not control.single
        return self

    @property
    def status(self) -> str | None:
        """What the annotator waits for while the learner gets ready ("loading the model …"), None when nothing."""
        if self._encoder_arg is not None and self._encode is None:
            return f"loading the model {_encoder_name(self._encoder_arg)}…"
        return None

    @property
    def model_version(self) -> str:
        """Names the learner kind and its training round: it changes at each retrain."""
        kind = "embed" if self._encoder_arg is not None else "sparse"
        return f"nblabel-learner-{kind}-v{self._version}"

    # -- predicting ------------------------------------------------------------------------------------------
    def __call__(self, tasks: list[dict]) -> list[dict | None]:
        texts = [self._text(t) for t in tasks]
        with self._lock:
            head, version = self._head, self.model_version
        probs = self._probabilities(texts, head)
        if probs is None:
            return [None] * len(tasks)
        out = []
        for p in probs:
            best = int(np.argmax(p))
            if self.multiple and head is not None:
                picked = [c for c, q in zip(self.classes, p) if q >= 0.5] or [self.classes[best]]
                sure = float(np.min(np.maximum(p, 1.0 - p)))  # the whole set is as sure as its least sure class
                out.append({"result": [choice_item(self.control, picked)], "score": sure, "model_version": version})
                continue
            out.append({"result": [choice_item(self.control, self.classes[best])], "score": float(p[best]),
                        "model_version": version})
        return out

    def _text(self, task: dict) -> str:
        if self.control is None:
            raise RuntimeError("this Learner is not bound to a config: pass it as Labeler(predictor=...)")
        value = task.get("data", {}).get(self.field)
        return "" if value is None else str(value)

    def _probabilities(self, texts: list[str], head: Any) -> np.ndarray | None:
        if self._encoder_arg is None:
            if head is None:
                return None
            return head.predict_proba(_sparse(texts))
        X = self.embed(texts)
        if head is None:  # cold start: cosine similarity to "This is <label>." (all-MiniLM vectors are unit length)
            sims = X @ self._label_vectors().T
            z = np.exp((sims - sims.max(axis=1, keepdims=True)) * 20.0)
            return z / z.sum(axis=1, keepdims=True)
        p = head.predict_proba(X)
        # few labels: the label-name prior still knows something
        if self.prior_weight and head.n_train < 200 and not self.multiple:
            sims = X @ self._label_vectors().T
            z = np.exp((sims - sims.max(axis=1, keepdims=True)) * 20.0)
            w = self.prior_weight / (self.prior_weight + head.n_train)
            p = (1 - w) * p + w * z / z.sum(axis=1, keepdims=True)
        return p

    def _label_vectors(self) -> np.ndarray:
        return self.embed([self.template.format(c) for c in self.classes])

    # -- embeddings ------------------------------------------------------------------------------------------
    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for texts, computing only those not seen before (length-sorted batches)."""
        missing = sorted({t for t in texts if t not in self._vectors}, key=len)
        if missing:
            with self._embed_lock:
                if self._encode is None:
                    self._encode = _make_encoder(self._encoder_arg, self.max_length, self.batch_size)
                missing = [t for t in missing if t not in self._vectors]
                # a model folder or a pipeline batches itself over the whole list (sorted by token count);
                # a plain callable gets batches of `batch_size` texts
                step = self.batch_size if getattr(self._encode, "chunked", True) else max(len(missing), 1)
                for i in range(0, len(missing), step):
                    chunk = missing[i:i + step]
                    vecs = normalise_rows(np.asarray(self._encode(chunk), dtype=np.float32))
                    self._vectors.update(zip(chunk, vecs))
        return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, 1), np.float32)

    # -- learning --------------------------------------------------------------------------------------------
    def observe(self, key: str, task: dict, result: list[dict]) -> None:
        """An answer for a task: learn its label (a re-submit replaces the earlier one)."""
        chosen = next((item["value"]["choices"] for item in result
                       if item.get("from_name") == self.control.name and item.get("value", {}).get("choices")), None)
        picked = set(_flat(chosen or ()))
        label = tuple(c for c in self.classes if c in picked) if self.multiple else (
            (chosen[0],) if chosen and chosen[0] in self.classes else ())
        with self._lock:
            if not label:
                if self._labels.pop(key, None) is not None:
                    self._pending += 1
            else:
                old = self._labels.get(key)
                self._labels[key] = (self._text(task), label)
                if old != self._labels[key]:
                    self._pending += 1
            self._maybe_retrain()

    def forget(self, key: str) -> None:
        """An answer was withdrawn (undo)."""
        with self._lock:
            if self._labels.pop(key, None) is not None:
                self._pending += 1
                self._maybe_retrain()

    def _due_now(self) -> bool:
        # early on every answer changes the model a lot: retrain after 1, 2, 4, 8… answers, then every N
        step = min(self.retrain_every, max(1, self._trained_on // 2))
        return self._pending >= step

    def _maybe_retrain(self) -> None:
        if not self._due_now():
            return
        self._due = True
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._retrain_loop, name="nblabel-learner", daemon=True)
            self._thread.start()

    def _retrain_loop(self) -> None:
        while True:
            with self._lock:
                if not self._due:
                    return
                self._due = False
                snapshot = list(self._labels.values())
                self._pending = 0
            try:
                head = self._fit(snapshot)
                with self._lock:
                    self._trained_on = len(snapshot)
                    if head is not None or self._head is not None:
                        self._head = head
                        self._version += 1
                    self.error = None
            except Exception as exc:  # keep the old head: suggestions go on
                with self._lock:
                    self.error = f"Learner retrain failed: {type(exc).__name__}: {exc}"

    def _fit(self, examples: list[tuple[str, tuple[str, ...]]], C: float | None = None) -> Any:
        texts = [t for t, _ in examples]
        if self.multiple:
            Y = np.array([[c in labels for c in self.classes] for _, labels in examples], dtype=np.int8)
            if len(examples) < 2 or not (Y.any(axis=0) & ~Y.all(axis=0)).any():
                return None  # nothing discriminative yet
            X = _sparse(texts) if self._encoder_arg is None else self.embed(texts)
            return _MultiHead([self._classifier(C).fit(X, y) if 0 < y.sum() < len(y) else None for y in Y.T],
                              (Y.sum(axis=0) + 0.5) / (len(Y) + 1.0), len(examples))
        labels = [label[0] for _, label in examples]
        if len(set(labels)) < 2:
            return None  # a classifier needs two classes: cold start (or nothing) until then
        X = _sparse(texts) if self._encoder_arg is None else self.embed(texts)
        y = np.array([self.classes.index(label) for label in labels])
        return _FullHead(self._classifier(C).fit(X, y), len(self.classes), len(examples))

    def _classifier(self, C: float | None = None) -> Any:
        from sklearn.linear_model import LogisticRegression
        # liblinear is an order of magnitude faster on the wide sparse matrix; lbfgs suits the dense embeddings
        return LogisticRegression(C=self.C if C is None else C, max_iter=500,
                                  solver="liblinear" if self._encoder_arg is None else "lbfgs")

    def out_of_fold(self, texts: list[str], labels: list[tuple[str, ...]], folds: int = 5,
                    seed: int = 0, C: float | None = None) -> np.ndarray:
        """Out-of-sample probabilities (one row per text, one column per class of the bound config).

        Each text is scored by a head fitted on the other folds, exactly as a retrain fits it (same features, same
        classifier, the label-name prior while a fold has few labels); the live head is untouched (embeddings join
        the cache), so a Labeler using this Learner goes on as before. `labels` are tuples of class names (one
        for a single choice); single-choice folds are stratified by class. `C` overrides the head's regularisation
        for these fits only (a stronger one calibrates better on thousands of labels).
        """
        from sklearn.model_selection import KFold, StratifiedKFold
        if self.control is None:
            raise RuntimeError("this Learner is not bound to a config: call bind(config) first")
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        if self.multiple:  # label sets have no single stratum: plain shuffled folds
            k, splitter = min(int(folds), len(texts)), KFold
            strata = np.zeros(len(texts))
        else:
            strata = np.array([self.classes.index(label[0]) for label in labels])
            counts = np.bincount(strata)
            k, splitter = min(int(folds), int(counts[counts > 0].min(initial=len(texts)))), StratifiedKFold
        if k < 2:
            raise ValueError("out-of-fold probabilities need at least two labels of every class used")
        if self._encoder_arg is not None:
            self.embed(texts)  # once for all folds (cached)
        out = np.zeros((len(texts), len(self.classes)))
        examples = list(zip(texts, labels))
        for train, test in splitter(k, shuffle=True, random_state=seed).split(strata, strata):
            head = self._fit([examples[i] for i in train], C)
            probs = self._probabilities([texts[i] for i in test], head)
            if probs is None:  # a fold without two classes: nothing learned, no opinion
                probs = np.full((len(test), len(self.classes)), 0.5 if self.multiple else 1.0 / len(self.classes))
            out[test] = probs
        return out

    def settle(self, timeout: float | None = None) -> None:
        """Wait for a due retrain (headless determinism)."""
        thread = self._thread
        if thread is not None and thread.is_alive():
            thread.join(timeout)

    @property
    def n_labels(self) -> int:
        """How many tasks have a label to learn from."""
        with self._lock:
            return len(self._labels)


class _FullHead:
    """A fitted classifier's probabilities over every class of the config (unseen classes get 0)."""

    def __init__(self, clf: Any, n: int, n_train: int) -> None:
        self.clf, self.n, self.n_train = clf, n, n_train

    def predict_proba(self, X: Any) -> np.ndarray:
        p = self.clf.predict_proba(X)
        full = np.zeros((p.shape[0], self.n))
        full[:, self.clf.classes_] = p
        return full


class _MultiHead:
    """Independent per-class probabilities (multi-label): a fitted binary classifier per class, or its rate."""

    def __init__(self, clfs: list, rates: np.ndarray, n_train: int) -> None:
        self.clfs, self.rates, self.n_train = clfs, rates, n_train

    def predict_proba(self, X: Any) -> np.ndarray:
        n = X.shape[0]
        return np.stack([clf.predict_proba(X)[:, 1] if clf is not None else np.full(n, rate)
                         for clf, rate in zip(self.clfs, self.rates)], axis=1)


def normalise_rows(vecs: np.ndarray) -> np.ndarray:
    """Unit-length rows (a zero row stays zero): cosine similarity is then a dot product."""
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.where(norms == 0, 1, norms)


def _flat(values: Any) -> list:
    return [v for entry in values for v in (entry if isinstance(entry, list) else [entry])]


def _sparse(texts: list[str]):
    from sklearn.feature_extraction.text import HashingVectorizer
    from scipy.sparse import hstack
    # 2**16 buckets each: few collisions at labeling-session sizes, and a head small enough to refit in milliseconds
    words = HashingVectorizer(n_features=2 ** 16, ngram_range=(1, 2), alternate_sign=False, lowercase=True)
    chars = HashingVectorizer(n_features=2 ** 16, analyzer="char_wb", ngram_range=(2, 4), alternate_sign=False)
    return hstack([words.transform(texts), chars.transform(texts)]).tocsr()


def _encoder_name(encoder: Any) -> str:
    """A short name for messages: a model folder's name, a pipeline's model, else the callable's name."""
    model = getattr(encoder, "model", None)
    name = getattr(model, "name_or_path", None) or getattr(getattr(model, "config", None), "_name_or_path", None)
    if name is None and isinstance(encoder, (str, os.PathLike)):
        name = os.fspath(encoder)
    if name is None:
        name = getattr(encoder, "__name__", type(encoder).__name__)
    return os.path.basename(os.path.normpath(str(name))) or str(name)


def _make_encoder(encoder: Any, max_length: int,
                  batch_size: int = _direct.BATCH_SIZE) -> Callable[[list[str]], np.ndarray]:
    """texts → vectors, from a model folder, a feature-extraction pipeline or a callable.

    The model folder and pipeline encoders take any number of texts and batch them themselves (their
    `chunked` attribute is False); a callable is called as given.
    """
    if is_pipeline(encoder):
        def run_pipe(texts: list[str]) -> np.ndarray:
            if _direct.usable(encoder, texts):
                return _direct.mean_pooled(encoder.tokenizer, encoder.model, texts, batch_size, max_length,
                                           getattr(encoder, "device", None))
            out = encoder(texts, truncation=True, max_length=max_length, batch_size=batch_size)
            return np.stack([np.asarray(o, dtype=np.float32).reshape(-1, np.asarray(o).shape[-1]).mean(0)
                             for o in out])
        run_pipe.chunked = False  # type: ignore[attr-defined]
        return run_pipe
    if callable(encoder):
        return lambda texts: np.asarray(encoder(texts), dtype=np.float32)
    from transformers import AutoModel, AutoTokenizer
    tokenizer = AutoTokenizer.from_pretrained(str(encoder))
    model = AutoModel.from_pretrained(str(encoder)).eval()

    def run(texts: list[str]) -> np.ndarray:
        # mean pooling over each text's tokens, as sentence-transformers does
        return _direct.mean_pooled(tokenizer, model, texts, batch_size, max_length)
    run.chunked = False  # type: ignore[attr-defined]
    return run
