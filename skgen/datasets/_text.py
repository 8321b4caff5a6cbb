"""Text corpora that ship with Python: no download."""

import sys

from sklearn.utils import Bunch

__all__ = ["load_text_corpus"]


def load_text_corpus():
    """Load the documentation topics that ship inside CPython.

    The corpus is ``pydoc_data.topics.topics``, the English help texts that
    ``help("if")`` prints, one document per topic. It needs no download and
    no network, so tests and examples can use it anywhere.

    Its content follows the Python version: on Python 3.11 it holds 79
    documents and about 465,000 characters.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object with the following attributes.

        data : list of str
            The documents, one string per topic, ordered by title.
        titles : list of str
            The topic title of each document (``data[i]`` is the text of
            ``titles[i]``), sorted.
        DESCR : str
            A description of the corpus.

    See Also
    --------
    skgen.text.CharTokenizer : Turn the documents into token sequences.

    Examples
    --------
    >>> from skgen.datasets import load_text_corpus
    >>> corpus = load_text_corpus()
    >>> len(corpus.data) == len(corpus.titles)
    True
    >>> print(corpus.data[corpus.titles.index("pass")][:41])
    The "pass" statement
    ********************
    """
    from pydoc_data.topics import topics

    titles = sorted(topics)
    data = [topics[title] for title in titles]
    version = ".".join(map(str, sys.version_info[:3]))
    descr = (
        "Python documentation topics\n"
        "---------------------------\n\n"
        "The English help topics shipped inside CPython "
        f"(pydoc_data.topics, Python {version}): {len(data)} documents, "
        f"{sum(map(len, data))} characters, one document per topic, ordered "
        "by title. The texts are reStructuredText-like plain text from the "
        "Python Language Reference. The content follows the Python version, "
        "so results on this corpus are reproducible for one Python version "
        "only.\n"
    )
    return Bunch(data=data, titles=titles, DESCR=descr)
