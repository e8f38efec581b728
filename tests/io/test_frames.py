"""A cluster to and from pandas DataFrames (matcher.io._frames), and the columns a loaded cluster keeps."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from matcher.errors import InvalidDataError, InvalidOptionError
from matcher.graph import network_from_cluster
from matcher.io import cluster_from_frames, cluster_to_frames, load_cluster, load_contacts, write_cluster
from matcher.model import Rows
from matcher.sample import SAMPLE_DIR
from matcher.synthetic import generate_cluster


@pytest.fixture(scope="module")
def loaded():
    return load_cluster(SAMPLE_DIR)


def as_objects(cluster):
    """The same cluster with its workshops and ties as tuples of objects (no columns)."""
    return replace(cluster, workshops=tuple(cluster.workshops), ties=tuple(cluster.ties))


def test_a_loaded_cluster_keeps_its_workshops_and_ties_as_columns(loaded):
    fresh = load_cluster(SAMPLE_DIR)
    assert isinstance(fresh.workshops, Rows) and isinstance(fresh.ties, Rows)
    assert not fresh.workshops.built and not fresh.ties.built
    assert len(fresh.workshop_ids) == len(fresh.workshops) == 377
    assert not fresh.workshops.built  # the ids come from the column
    network_from_cluster(fresh)
    assert not fresh.workshops.built and not fresh.ties.built  # the network reads the columns
    first = fresh.workshop_ids[0]
    assert fresh.workshop(first).workshop_id == first  # an object asked for: all are built
    assert fresh.workshops.built and fresh == as_objects(fresh)


def test_the_network_from_columns_is_the_network_from_objects(loaded):
    fresh = load_cluster(SAMPLE_DIR)
    from_columns = network_from_cluster(fresh)
    from_objects = network_from_cluster(as_objects(fresh))
    assert from_columns.ids == from_objects.ids
    for name in ("source", "target", "kind", "strength", "wave", "negative"):
        assert np.array_equal(getattr(from_columns, name), getattr(from_objects, name)), name
    assert from_columns.attributes.keys() == from_objects.attributes.keys()
    for name, values in from_columns.attributes.items():
        assert values.tolist() == from_objects.attributes[name].tolist(), name


def test_frames_round_trip_the_sample(loaded):
    frames = cluster_to_frames(loaded)
    assert {"workshops", "ties", "lead_firms", "orders"} <= set(frames)
    assert cluster_from_frames(frames) == loaded


def test_frames_from_columns_equal_frames_from_objects():
    columns = cluster_to_frames(load_cluster(SAMPLE_DIR))
    objects = cluster_to_frames(as_objects(load_cluster(SAMPLE_DIR)))
    assert columns.keys() == objects.keys()
    for name in columns:
        pd.testing.assert_frame_equal(columns[name], objects[name], check_dtype=False)


def test_frames_have_the_types_of_their_columns(loaded):
    workshops = cluster_to_frames(loaded)["workshops"]
    assert pd.api.types.is_integer_dtype(workshops["workers"])
    assert pd.api.types.is_float_dtype(workshops["efficiency"])
    assert pd.api.types.is_bool_dtype(workshops["formal"])
    first = loaded.workshops[0]
    assert workshops.loc[0, "products"] == ";".join(first.products)


def test_frames_round_trip_a_generated_cluster_with_contacts_and_extra_columns(tmp_path):
    cluster, contacts = generate_cluster(60, 4, seed=11)
    extra = tuple(
        replace(w, extra=(("barrio", f"B{i % 3}"),) if i % 2 else ()) for i, w in enumerate(cluster.workshops)
    )
    cluster = replace(cluster, workshops=extra)
    frames = cluster_to_frames(cluster, contacts)
    assert "contacts" in frames and list(frames["workshops"].columns)[-1] == "barrio"
    back = cluster_from_frames(frames)
    folder = write_cluster(cluster, tmp_path / "c", contacts=contacts)
    assert back == load_cluster(folder)
    assert len(load_contacts(folder)) == len(frames["contacts"])


def test_spanish_names_lists_and_numbers_as_people_type_them():
    talleres = pd.DataFrame(
        {
            "id_taller": ["T1", "T2"],
            "territorio": ["Itá", "Itá"],
            "trabajadores": ["2.000", 3],  # text read as a file's cell; a number as a number
            "productos": [["jeans"], "jeans"],
            "procesos": [("corte", "costura"), "Costura"],
            "eficiencia": [0.55, None],
        }
    )
    cluster = cluster_from_frames({"talleres": talleres})
    a, b = cluster.workshops
    assert (a.workers, a.processes, a.efficiency) == (2000, ("cutting", "sewing"), 0.55)
    assert (b.workers, b.processes, b.efficiency) == (3, ("sewing",), 0.5)


def test_a_number_cell_is_read_one_way_whatever_the_decimal_mark():
    talleres = pd.DataFrame(
        {"workshop_id": ["T1"], "territory": ["X"], "workers": [4], "products": ["jeans"],
         "processes": ["sewing"], "cost_per_minute": [1.125]}
    )  # fmt: skip
    (w,) = cluster_from_frames({"workshops": talleres}).workshops
    assert w.cost_per_minute == 1.125  # as text, 1.125 could be 1125


def test_every_problem_names_the_frame_row_and_column():
    workshops = pd.DataFrame(
        {"workshop_id": ["A", "B", "B"], "territory": ["X", "X", ""], "workers": [1, 0, 2],
         "products": ["jeans"] * 3, "processes": ["sewing"] * 3}
    )  # fmt: skip
    ties = pd.DataFrame({"source": ["A", "A"], "target": ["B", "Z"], "kind": ["kinship", "enemistad"]})
    with pytest.raises(InvalidDataError) as info:
        cluster_from_frames({"workshops": workshops, "ties": ties})
    said = [p.say("en") for p in info.value.problems]
    assert any(s.startswith("workshops (DataFrame) row 3, column workers:") for s in said), said
    assert any(s.startswith("workshops (DataFrame) row 4, column workshop_id:") for s in said), said
    assert any(s.startswith("workshops (DataFrame) row 4, column territory:") for s in said), said
    assert any(s.startswith("ties (DataFrame) row 3, column target:") for s in said), said
    assert any(s.startswith("ties (DataFrame) row 3, column kind:") for s in said), said


def test_frames_that_are_no_table_of_the_contract_are_refused():
    workshops = pd.DataFrame({"workshop_id": ["A"]})
    with pytest.raises(InvalidOptionError, match="'notes'"):
        cluster_from_frames({"workshops": workshops, "notes": workshops})
    with pytest.raises(InvalidOptionError, match="both the workshops table"):
        cluster_from_frames({"workshops": workshops, "talleres": workshops})
    with pytest.raises(InvalidDataError):
        cluster_from_frames({"ties": pd.DataFrame({"source": ["A"], "target": ["B"], "kind": ["kinship"]})})


def test_rows_behave_as_the_tuple_of_their_objects(loaded):
    rows = load_cluster(SAMPLE_DIR).ties
    objects = tuple(loaded.ties)
    assert rows == objects and objects == rows and hash(rows) == hash(objects)
    assert rows[:2] == objects[:2] and rows[-1] == objects[-1]
    assert rows + objects[:1] == (*objects, objects[0]) and objects[:1] + rows == (objects[0], *objects)
    import pickle

    again = pickle.loads(pickle.dumps(load_cluster(SAMPLE_DIR).ties))
    assert isinstance(again, Rows) and not again.built and again == objects
    with pytest.raises(ValueError, match="different lengths"):
        Rows({"source": ["A"], "target": []}, lambda c: [])
