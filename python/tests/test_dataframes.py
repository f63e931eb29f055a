"""The README's examples: pandas and polars in, pandas and polars out."""

import pandas
import polars
import pyarrow

import storyclust


def test_pandas_in_and_out(dev_records):
    frame = pandas.DataFrame(dev_records)
    result = storyclust.cluster(pyarrow.Table.from_pandas(frame, preserve_index=False))
    stories = pyarrow.table(result).to_pandas()
    assert len(stories) == 100 and set(stories["id"]) == set(frame["id"])
    if hasattr(frame, "__arrow_c_stream__"):
        direct = pyarrow.table(storyclust.cluster(frame))
        assert direct.equals(pyarrow.table(result))


def test_polars_in_and_out(dev_records):
    frame = polars.DataFrame(dev_records)
    result = storyclust.cluster(frame)
    stories = polars.from_arrow(pyarrow.table(result))
    assert stories.height == 100
    direct = polars.DataFrame(result)
    assert direct.equals(stories)
    assert pyarrow.table(storyclust.cluster(dev_records)).equals(pyarrow.table(result))
