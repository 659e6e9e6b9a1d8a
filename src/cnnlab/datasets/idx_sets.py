"""The data sets that come as four IDX files: MNIST and Fashion-MNIST.

Both use the same four file names, so each has its own folder (``mnist``,
``fashion-mnist``), its own mirrors and its own checksums: the hash of the
gzip files as published (what a download is checked against) and the SHA-256
of their decompressed content (what every file read is checked against; it is
the same whoever recompressed the files).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The four files, by role; MNIST and Fashion-MNIST name them alike.
IDX_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}


@dataclass(frozen=True)
class IdxDataSet:
    """Where one IDX data set lives and how its files are checked.

    Attributes
    ----------
    title : str
        The name in messages ("MNIST").
    folder : str
        Its subfolder of ``data_home``, of ``CNNLAB_DATA`` and of the cache.
    mirrors : tuple of str
        Base URLs, tried in order; each serves ``<stem>.gz``.
    gzip_hashes : dict
        pooch's ``known_hash`` ("md5:..." or "sha256:...") of each published ``<stem>.gz``.
    content_sha256 : dict
        SHA-256 of each decompressed file.
    top_level_of_environment : bool
        Whether the files may also sit directly in ``CNNLAB_DATA`` (MNIST's
        rule, kept for compatibility). Fashion-MNIST is looked for only in its
        subfolder there, so that MNIST files at the top are never taken for it.
    """

    title: str
    folder: str
    mirrors: tuple[str, ...]
    gzip_hashes: dict
    content_sha256: dict
    top_level_of_environment: bool = True


#: SHA-256 of the published MNIST gzip files (as served by the mirrors below).
MNIST_GZIP_SHA256 = {
    "train-images-idx3-ubyte": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
#: SHA-256 of the decompressed MNIST files.
MNIST_CONTENT_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
MNIST = IdxDataSet(
    title="MNIST",
    folder="mnist",
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
    gzip_hashes={stem: "sha256:" + digest for stem, digest in MNIST_GZIP_SHA256.items()},
    content_sha256=MNIST_CONTENT_SHA256,
)

#: MD5 of the gzip files, as published in the README of
#: https://github.com/zalandoresearch/fashion-mnist ("Get the Data").
FASHION_MNIST_GZIP_MD5 = {
    "train-images-idx3-ubyte": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte": "bb300cfdad3c16e7a12a480ee83cd310",
}
#: SHA-256 of the decompressed Fashion-MNIST files.
FASHION_MNIST_CONTENT_SHA256 = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
FASHION_MNIST = IdxDataSet(
    title="Fashion-MNIST",
    folder="fashion-mnist",
    mirrors=(
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ),
    gzip_hashes={stem: "md5:" + digest for stem, digest in FASHION_MNIST_GZIP_MD5.items()},
    content_sha256=FASHION_MNIST_CONTENT_SHA256,
    top_level_of_environment=False,
)

#: Fashion-MNIST's labels 0-9, in order (from its README).
FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
