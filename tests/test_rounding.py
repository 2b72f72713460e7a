"""Largest-remainder rounding: sums kept exactly, each amount within one quantum, ties by key, bounds kept."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allocator.rounding import (
    apportion,
    from_quanta,
    in_quanta,
    largest_remainder,
    quanta_text,
    round_tree,
    to_quanta,
)

amounts = st.lists(st.floats(0, 5_000, allow_nan=False).map(lambda x: round(x, 6)), min_size=1, max_size=30)


def test_hand_worked_example():
    # 1.234 + 2.345 + 3.421 = 7.000 万元; in hundredths 123.4 + 234.5 + 342.1 = 700.
    # Floors 123 + 234 + 342 = 699 leave 1 hundredth for the largest remainder (.5, the second line):
    assert largest_remainder([1.234, 2.345, 3.421]) == [123, 235, 342]  # 1.23 + 2.35 + 3.42 = 7.00
    # 100 万元 in thirds: 3333.33... hundredths each; floors 9999 leave 1; the remainders tie and the first
    # key in sorted order ("a", at position 1) wins:
    assert largest_remainder([100 / 3] * 3, 100.0, keys=["c", "a", "b"]) == [3333, 3334, 3333]
    # 0.996 + 0.996 + 0.008 = 2.000. Each rounded on its own: 1.00 + 1.00 + 0.01 = 2.01, one hundredth too many.
    # Hundredths 99.6 + 99.6 + 0.8: floors 99 + 99 + 0 = 198 leave 2. The third line (0.8 hundredths, at least
    # half of one) would floor to zero, so it is served first; the other goes to the tie of .6 and .6, first key x:
    assert largest_remainder([0.996, 0.996, 0.008], 2.0, keys=["x", "y", "z"]) == [100, 99, 1]  # 1.00 + 0.99 + 0.01


def test_text_and_conversions_are_exact():
    assert quanta_text(120623) == "1206.23"
    assert quanta_text(-5) == "-0.05"
    assert quanta_text(300) == "3.00"
    assert quanta_text(7, 0) == "7"
    assert from_quanta(1206) == 12.06
    assert to_quanta(12.062326154) == 1206
    assert to_quanta(0.005) == 1 and to_quanta(-0.005) == -1
    assert in_quanta(30.0000000004) == 3000.0  # solver round-off snaps to the whole hundredth


@given(amounts)
def test_sum_is_kept_exactly_and_each_within_one_quantum(values):
    out = largest_remainder(values)
    raw = [in_quanta(v) for v in values]
    assert sum(out) == math.floor(math.fsum(raw) + 0.5)
    for o, r in zip(out, raw):
        assert abs(o - r) < 1
        assert o in (math.floor(r), math.ceil(r))


@given(amounts, st.integers(-1, 1))
def test_any_total_between_floor_and_ceiling_is_met(values, step):
    raw = [in_quanta(v) for v in values]
    exact = math.fsum(raw)
    total = math.floor(exact) if step < 0 else math.ceil(exact) if step > 0 else round(exact)
    out = apportion(raw, total)
    assert sum(out) == total
    assert all(abs(o - r) < 1 for o, r in zip(out, raw))


@given(amounts)
def test_monotone_and_ties_by_key(values):
    keys = [f"k{j:03d}" for j in range(len(values))]
    out = largest_remainder(values, keys=keys)
    raw = [in_quanta(v) for v in values]
    for a in range(len(values)):
        for b in range(len(values)):
            if raw[a] > raw[b]:
                assert out[a] >= out[b]
            if raw[a] == raw[b] and a < b:  # a tie: the earlier key gets the quantum first
                assert out[a] - out[b] in (0, 1)


@given(amounts, st.randoms(use_true_random=False))
def test_order_of_input_does_not_matter(values, rnd):
    keys = [f"line{j}" for j in range(len(values))]
    base = dict(zip(keys, largest_remainder(values, keys=keys)))
    order = list(range(len(values)))
    rnd.shuffle(order)
    shuffled = largest_remainder([values[j] for j in order], keys=[keys[j] for j in order])
    assert {keys[j]: v for j, v in zip(order, shuffled)} == base


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=20), st.lists(st.floats(0, 100), max_size=5))
def test_whole_amounts_stay_exact(whole, fractional):
    # locked or committed lines (whole hundredths) never move; only the fractional ones share the remainders
    values = [w / 100 for w in whole] + fractional
    out = largest_remainder(values)
    assert out[: len(whole)] == whole


@given(st.lists(st.floats(0.005, 0.0099), min_size=1, max_size=10), st.floats(0.01, 50))
def test_small_positive_lines_are_served_first(small, big):
    # lines of half a hundredth or more are not rounded to zero while a larger line can give a hundredth up
    values = [*small, big]
    out = largest_remainder(values)
    spare = sum(out) - sum(math.floor(in_quanta(v)) for v in values)
    served = sum(1 for o in out[:-1] if o >= 1)
    assert served == min(len(small), spare)


def test_bounds_are_kept_or_the_call_refuses():
    # 10.006 + 10.006 = 20.012 -> 2001 hundredths; the first may not exceed 10.00, so the second takes the 1 left
    assert largest_remainder([10.006, 10.006], upper=[10.0, None]) == [1000, 1001]
    # a lower bound of 5.004 means at least 5.01 (501): the floor 500 is below it
    assert largest_remainder([5.004, 1.0], lower=[5.004, None]) == [501, 100]
    with pytest.raises(ValueError, match="outside its bounds"):
        largest_remainder([12.5], upper=[12.0])
    with pytest.raises(ValueError, match="cannot be reached"):
        largest_remainder([1.0, 2.0], total=3.05)


def test_tree_hand_worked():
    # A year with two funds; the stock fund (100.00 available) pays unit A 10.005 + 20.005 and unit B 69.99.
    # Funds: stock 100.000 -> 10000; increment 0.004 + 0.004 = 0.008 hundredths... in hundredths 0.4 + 0.4 = 0.8.
    # Year: 10000.8 -> 10001. Level fund: stock 10000 (whole), increment 0.8 -> gets the 1 left.
    # Stock by unit: A 3001.0 (whole), B 6999. Unit A's lines 1000.5 + 2000.5 = 3001: tie, first key (a1) wins.
    # Increment lines 0.4 + 0.4 = 1 hundredth: the tie goes to the first key (unit A).
    lines = {
        (2021, "stock", "A", "a1"): 10.005,
        (2021, "stock", "A", "a2"): 20.005,
        (2021, "stock", "B", "b1"): 69.99,
        (2021, "increment", "A", "a1"): 0.004,
        (2021, "increment", "B", "b1"): 0.004,
    }
    out = round_tree(lines, [lambda k: k[0], lambda k: k[:2], lambda k: k[:3]])
    assert out == {
        (2021, "stock", "A", "a1"): 1001,
        (2021, "stock", "A", "a2"): 2000,
        (2021, "stock", "B", "b1"): 6999,
        (2021, "increment", "A", "a1"): 1,
        (2021, "increment", "B", "b1"): 0,
    }


def test_tree_caps_a_group_at_its_money():
    # fund f has 1.008 万元 and spends it all: 0.504 + 0.504 = 100.8 hundredths, which alone would round up to
    # 1.01, more than f has; capped at floor(100.8) = 100. Fund g: 0.333 = 33.3. Total 134.1 -> 134, so g takes
    # the hundredth f may not: f 100 (50 + 50, the tie to the first key), g 34.
    lines = {("f", "x"): 0.504, ("f", "y"): 0.504, ("g", "z"): 0.333}
    out = round_tree(lines, [lambda k: k[0]], upper=[{"f": 1.008}])
    assert out == {("f", "x"): 50, ("f", "y"): 50, ("g", "z"): 34}
    assert round_tree(lines, [lambda k: k[0]])[("f", "x")] == 51  # without the cap f would show 1.01


def test_tree_caps_reach_the_levels_above():
    # increment 1.375 万元, all spent: 137.5 hundredths, capped at 137; stock 89.40 = 8940. The year's exact
    # 9077.5 would round to 9078, which only an increment of 1.38 could pay: the year gets 9077.
    lines = {(2021, "increment", "school", "u", "a"): 1.375, (2021, "stock", "school", "u", "a"): 89.4}
    out = round_tree(lines, [lambda k: k[0], lambda k: k[:3]], upper=[{}, {(2021, "increment", "school"): 1.375}])
    assert out == {(2021, "increment", "school", "u", "a"): 137, (2021, "stock", "school", "u", "a"): 8940}


@given(
    st.dictionaries(
        st.tuples(st.integers(2021, 2023), st.sampled_from(["stock", "increment"]), st.sampled_from("ABCD"), st.sampled_from("pqrs")),
        st.floats(0, 1_000).map(lambda x: round(x, 7)),
        min_size=1,
        max_size=40,
    )
)
def test_tree_keeps_every_subtotal_within_one_quantum(lines):
    levels = [lambda k: k[0], lambda k: k[:2], lambda k: k[:3]]
    out = round_tree(lines, levels)
    raw = {k: in_quanta(v) for k, v in lines.items()}
    assert sum(out.values()) == math.floor(math.fsum(raw.values()) + 0.5)
    for level in levels:
        groups: dict = {}
        for k in lines:
            groups.setdefault(level(k), []).append(k)
        for keys in groups.values():
            assert abs(sum(out[k] for k in keys) - math.fsum(raw[k] for k in keys)) < 1
    for k in lines:
        assert abs(out[k] - raw[k]) < 1
