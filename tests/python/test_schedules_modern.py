"""WSD, InverseSqrt and Rex, and two compositions that Hugging Face names, against their sources.

- ``WSD`` and ``InverseSqrt`` against Hugging Face transformers' ``get_wsd_schedule`` and
  ``get_inverse_sqrt_schedule`` at every whole step (the rate a torch SGD optimizer gets from
  ``LambdaLR`` after ``t`` scheduler steps), to 1e-9 in float64: against the values kept
  below (``REFERENCE``, made once from transformers, so the check holds without it), and
  live when transformers is importable.
- Linear decay to zero after a warmup (D2Z), ``Warmup(Linear(peak, 0, n - w), w)``, against
  ``get_linear_schedule_with_warmup``; Hugging Face's cosine with a minimum rate,
  ``Warmup(Cosine(peak, n - w, alpha=r), w)``, against
  ``get_cosine_with_min_lr_schedule_with_warmup(min_lr_rate=r)``.
- ``Rex`` against the paper's formula (Chen et al. 2022), written independently in exact
  rational arithmetic.
- For all three: the horizon, describe() and plot(). The config round trip and in-graph
  values run over kit's schedule table (test_schedules.py, test_keras_schedule.py), bad
  arguments over test_schedule_checks.py's table.
"""

from __future__ import annotations

import math
import textwrap
from fractions import Fraction
from typing import Any

import lrdecay
import numpy as np
import pytest
from lrdecay import WSD, Cosine, InverseSqrt, Linear, Rex, Warmup

# ---------------------------------------------------------------------------
# Cases (transformers' argument names in comments; num_training_steps = w + s + d)
# ---------------------------------------------------------------------------

WSD_CASES = {
    "linear-cosine": dict(peak_lr=0.1, warmup_steps=5, stable_steps=10, decay_steps=8),
    "cosine-linear-min": dict(peak_lr=0.1, warmup_steps=5, stable_steps=10, decay_steps=8,
                              warmup="cosine", decay="linear", min_lr_ratio=0.1),
    "1sqrt-1sqrt-min": dict(peak_lr=0.1, warmup_steps=5, stable_steps=10, decay_steps=8,
                            warmup="1-sqrt", decay="1-sqrt", min_lr_ratio=0.2),
    "no-warmup": dict(peak_lr=0.003, warmup_steps=0, stable_steps=4, decay_steps=10,
                      decay="1-sqrt"),
    "no-stable": dict(peak_lr=0.05, warmup_steps=3, stable_steps=0, decay_steps=6,
                      warmup="cosine", decay="cosine", min_lr_ratio=0.05),
    "one-step-stages": dict(peak_lr=1.0, warmup_steps=1, stable_steps=2, decay_steps=1,
                            decay="linear", min_lr_ratio=0.5),
    "long": dict(peak_lr=3e-4, warmup_steps=20, stable_steps=50, decay_steps=30,
                 warmup="linear", decay="1-sqrt", min_lr_ratio=0.01),
}
INVERSE_SQRT_CASES = {
    "default-timescale": dict(peak_lr=0.1, warmup_steps=4),
    "no-warmup": dict(peak_lr=0.01, warmup_steps=0),
    "timescale-below-warmup": dict(peak_lr=0.5, warmup_steps=10, timescale=3),
    "timescale-above-warmup": dict(peak_lr=0.02, warmup_steps=7, timescale=50),
    "one-step-warmup": dict(peak_lr=1.0, warmup_steps=1),
}
D2Z_CASES = {  # (peak, warmup_steps, num_training_steps)
    "w5-n30": (0.1, 5, 30),
    "w1-n10": (0.02, 1, 10),
    "w40-n100": (3e-4, 40, 100),
}
COSINE_MIN_CASES = {  # (peak, warmup_steps, num_training_steps, min_lr_rate)
    "w5-n30-r0.1": (0.1, 5, 30, 0.1),
    "w3-n20-r0": (0.02, 3, 20, 0.0),
    "w10-n50-r0.05": (6e-4, 10, 50, 0.05),
    "w1-n7-r0.3": (1.0, 1, 7, 0.3),
}

KINDS = ("wsd", "inverse_sqrt", "d2z", "cosine_min_lr")
CASES = ([("wsd", k) for k in WSD_CASES] + [("inverse_sqrt", k) for k in INVERSE_SQRT_CASES]
         + [("d2z", k) for k in D2Z_CASES] + [("cosine_min_lr", k) for k in COSINE_MIN_CASES])
CASE_IDS = [f"{kind}-{name}" for kind, name in CASES]


def n_updates(kind: str, name: str) -> int:
    """How many updates (t = 0..n-1) each case is compared over: past the end of the
    schedule for WSD and D2Z, up to num_training_steps for the cosine (see
    ``test_cosine_min_lr_after_training_ends``)."""
    if kind == "wsd":
        c = WSD_CASES[name]
        return int(c["warmup_steps"] + c["stable_steps"] + c["decay_steps"]) + 4
    if kind == "inverse_sqrt":
        return max(3 * INVERSE_SQRT_CASES[name]["warmup_steps"], 10) + 10
    if kind == "d2z":
        return D2Z_CASES[name][2] + 3
    return COSINE_MIN_CASES[name][2] + 1


def ours(kind: str, name: str) -> lrdecay.Schedule:
    if kind == "wsd":
        return WSD(**WSD_CASES[name])
    if kind == "inverse_sqrt":
        return InverseSqrt(**INVERSE_SQRT_CASES[name])
    if kind == "d2z":
        peak, w, n = D2Z_CASES[name]
        return Warmup(Linear(peak, 0, n - w), w)
    peak, w, n, r = COSINE_MIN_CASES[name]
    return Warmup(Cosine(peak, n - w, alpha=r), w)


def transformers_lrs(kind: str, name: str, n: int | None = None) -> list[float]:
    """The rate transformers' scheduler gives a torch SGD optimizer at t = 0..n-1."""
    import torch
    from transformers import optimization as hf

    if kind == "wsd":
        c = dict(WSD_CASES[name])
        peak = c["peak_lr"]
        w, s, d = c["warmup_steps"], c["stable_steps"], c["decay_steps"]

        def make(opt: Any) -> Any:
            return hf.get_wsd_schedule(
                opt, num_warmup_steps=w, num_decay_steps=d, num_training_steps=w + s + d,
                warmup_type=c.get("warmup", "linear"), decay_type=c.get("decay", "cosine"),
                min_lr_ratio=c.get("min_lr_ratio", 0))
    elif kind == "inverse_sqrt":
        c = INVERSE_SQRT_CASES[name]
        peak = c["peak_lr"]

        def make(opt: Any) -> Any:
            return hf.get_inverse_sqrt_schedule(opt, num_warmup_steps=c["warmup_steps"],
                                                timescale=c.get("timescale"))
    elif kind == "d2z":
        peak, w, total = D2Z_CASES[name]

        def make(opt: Any) -> Any:
            return hf.get_linear_schedule_with_warmup(opt, w, total)
    else:
        peak, w, total, r = COSINE_MIN_CASES[name]

        def make(opt: Any) -> Any:
            return hf.get_cosine_with_min_lr_schedule_with_warmup(opt, w, total, min_lr_rate=r)

    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=peak)
    sched = make(opt)
    out = [sched.get_last_lr()[0]]
    for _ in range((n or n_updates(kind, name)) - 1):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    return out


def _transformers() -> Any:
    try:
        import torch  # noqa: F401
        import transformers
    except ImportError:
        return None
    return transformers


needs_transformers = pytest.mark.skipif(_transformers() is None,
                                        reason="transformers (and torch) not importable")

# ---------------------------------------------------------------------------
# The values transformers gives, kept: python tests/python/test_schedules_modern.py prints
# this block afresh (needs transformers).
# ---------------------------------------------------------------------------

# transformers 5.24.0, torch 2.13.0+cpu
REFERENCE: dict[tuple[str, str], list[float]] = {
    ("wsd", "linear-cosine"): [
        0.0, 0.020000000000000004, 0.04000000000000001, 0.06, 0.08000000000000002, 0.1, 0.1, 0.1,
        0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.09619397662556434, 0.08535533905932738,
        0.0691341716182545, 0.05, 0.030865828381745515, 0.014644660940672627, 0.0038060233744356634,
        0.0, 0.0, 0.0, 0.0
    ],
    ("wsd", "cosine-linear-min"): [
        0.010000000000000002, 0.018594235253127367, 0.041094235253127366, 0.06890576474687264,
        0.09140576474687263, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.08875,
        0.07750000000000001, 0.06625, 0.05500000000000001, 0.043750000000000004, 0.0325,
        0.021250000000000005, 0.010000000000000002, 0.010000000000000002, 0.010000000000000002,
        0.010000000000000002
    ],
    ("wsd", "1sqrt-1sqrt-min"): [
        0.020000000000000004, 0.028445824720006736, 0.038032266460681335, 0.049403557437305935,
        0.06422291236000337, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
        0.07171572875253811, 0.06000000000000001, 0.051010205144336455, 0.0434314575050762,
        0.036754446796632416, 0.030717967697244913, 0.02516685226452118, 0.020000000000000004,
        0.020000000000000004, 0.020000000000000004, 0.020000000000000004
    ],
    ("wsd", "no-warmup"): [
        0.003, 0.003, 0.003, 0.003, 0.003, 0.002051316701949486, 0.0016583592135001265,
        0.0013568323274845018, 0.0011026334038989724, 0.0008786796564403573, 0.0006762099922755498,
        0.0004900199203977734, 0.00031671842700025244, 0.0001539501058484587, 0.0, 0.0, 0.0, 0.0
    ],
    ("wsd", "no-stable"): [
        0.0025000000000000005, 0.014374999999999997, 0.038125, 0.05, 0.04681810333988043, 0.038125,
        0.026250000000000002, 0.014375000000000006, 0.005681896660119581, 0.0025000000000000005,
        0.0025000000000000005, 0.0025000000000000005, 0.0025000000000000005
    ],
    ("wsd", "one-step-stages"): [
        0.5, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5
    ],
    ("wsd", "long"): [
        2.9999999999999997e-06, 1.785e-05, 3.2699999999999995e-05, 4.755e-05, 6.24e-05, 7.725e-05,
        9.209999999999999e-05, 0.00010694999999999998, 0.00012179999999999999, 0.00013665,
        0.0001515, 0.00016634999999999998, 0.00018119999999999999, 0.00019604999999999997,
        0.00021089999999999998, 0.00022574999999999996, 0.0002406, 0.00025545,
        0.00027029999999999996, 0.00028514999999999997, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003,
        0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003,
        0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003,
        0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003,
        0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003, 0.0003,
        0.0003, 0.0003, 0.00024577546680698857, 0.00022331492974509315, 0.00020608035349299912,
        0.0001915509336139771, 0.00017875025773223267, 0.0001671775621365125,
        0.00015653537021272454, 0.00014662985949018628, 0.00013732640042096565,
        0.00012852697005068115, 0.000120157568966609, 0.00011216070698599825,
        0.00010449066518449814, 9.711037483399996e-05, 8.998928598759538e-05, 8.310186722795422e-05,
        7.642652214540294e-05, 6.994478923527942e-05, 6.364073955099623e-05, 5.750051546446537e-05,
        5.151197211937955e-05, 4.5664394942430466e-05, 3.9948274376038794e-05,
        3.435512427302498e-05, 2.8877334034942754e-05, 2.3508047133374958e-05,
        1.8241060478997407e-05, 1.3070740425449121e-05, 7.991952165698021e-06,
        2.9999999999999997e-06, 2.9999999999999997e-06, 2.9999999999999997e-06,
        2.9999999999999997e-06
    ],
    ("inverse_sqrt", "default-timescale"): [
        0.0, 0.025, 0.05, 0.07500000000000001, 0.1, 0.08944271909999159, 0.08164965809277262,
        0.07559289460184544, 0.07071067811865475, 0.06666666666666667, 0.0632455532033676,
        0.06030226891555273, 0.05773502691896259, 0.05547001962252292, 0.053452248382484885,
        0.051639777949432225, 0.05, 0.048507125007266595, 0.047140452079103175, 0.04588314677411235,
        0.044721359549995794, 0.043643578047198484
    ],
    ("inverse_sqrt", "no-warmup"): [
        0.01, 0.009999500037496877, 0.009999000149975006, 0.009998500337415648, 0.00999800059980007,
        0.009997500937109546, 0.009997001349325354, 0.009996501836428782, 0.00999600239840112,
        0.009995503035223669, 0.009995003746877732, 0.009994504533344625, 0.009994005394605663,
        0.009993506330642176, 0.009993007341435491, 0.00999250842696695, 0.009992009587217894,
        0.009991510822169676, 0.009991012131803659, 0.0099905135161012
    ],
    ("inverse_sqrt", "timescale-below-warmup"): [
        0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.43301270189221935,
        0.3872983346207417, 0.35355339059327373, 0.32732683535398854, 0.30618621784789724,
        0.2886751345948129, 0.27386127875258304, 0.26111648393354675, 0.25, 0.2401922307076307,
        0.23145502494313785, 0.22360679774997896, 0.21650635094610968, 0.21004201260420147,
        0.20412414523193154, 0.1986798535597566, 0.19364916731037085, 0.1889822365046136,
        0.1846372364689991, 0.1805787796286538, 0.17677669529663687, 0.1732050807568877,
        0.16984155512168936, 0.16666666666666666, 0.16366341767699427, 0.16081688022566923,
        0.15811388300841897, 0.1555427542095638, 0.15309310892394862
    ],
    ("inverse_sqrt", "timescale-above-warmup"): [
        0.0, 0.002857142857142857, 0.005714285714285714, 0.008571428571428572, 0.011428571428571429,
        0.014285714285714287, 0.017142857142857144, 0.02, 0.019802950859533486, 0.0196116135138184,
        0.019425717247145285, 0.019245008972987525, 0.019069251784911846, 0.01889822365046136,
        0.01873171623163388, 0.018569533817705187, 0.01841149235796647, 0.01825741858350554,
        0.018107149208503707, 0.017960530202677488, 0.017817416127494958, 0.017677669529663688,
        0.017541160386140585, 0.017407765595569783, 0.0172773685116272, 0.017149858514250882,
        0.01702513061517497, 0.016903085094570332, 0.016783627165933783, 0.016666666666666666,
        0.016552117772047358
    ],
    ("inverse_sqrt", "one-step-warmup"): [
        0.0, 1.0, 0.7071067811865475, 0.5773502691896258, 0.5, 0.4472135954999579,
        0.4082482904638631, 0.3779644730092272, 0.35355339059327373, 0.3333333333333333,
        0.31622776601683794, 0.30151134457776363, 0.2886751345948129, 0.2773500981126146,
        0.2672612419124244, 0.2581988897471611, 0.25, 0.24253562503633297, 0.23570226039551587,
        0.22941573387056174
    ],
    ("d2z", "w5-n30"): [
        0.0, 0.020000000000000004, 0.04000000000000001, 0.06, 0.08000000000000002, 0.1, 0.096,
        0.09200000000000001, 0.08800000000000001, 0.084, 0.08000000000000002, 0.07600000000000001,
        0.072, 0.068, 0.064, 0.06, 0.05600000000000001, 0.052000000000000005, 0.048,
        0.044000000000000004, 0.04000000000000001, 0.036, 0.032, 0.028000000000000004, 0.024,
        0.020000000000000004, 0.016, 0.012, 0.008, 0.004, 0.0, 0.0, 0.0
    ],
    ("d2z", "w1-n10"): [
        0.0, 0.02, 0.017777777777777778, 0.015555555555555557, 0.013333333333333332,
        0.011111111111111112, 0.008888888888888889, 0.006666666666666666, 0.0044444444444444444,
        0.0022222222222222222, 0.0, 0.0, 0.0
    ],
    ("d2z", "w40-n100"): [
        0.0, 7.499999999999999e-06, 1.4999999999999999e-05, 2.2499999999999998e-05,
        2.9999999999999997e-05, 3.75e-05, 4.4999999999999996e-05, 5.2499999999999995e-05,
        5.9999999999999995e-05, 6.75e-05, 7.5e-05, 8.25e-05, 8.999999999999999e-05, 9.75e-05,
        0.00010499999999999999, 0.0001125, 0.00011999999999999999, 0.00012749999999999998, 0.000135,
        0.0001425, 0.00015, 0.00015749999999999998, 0.000165, 0.00017249999999999996,
        0.00017999999999999998, 0.00018749999999999998, 0.000195, 0.0002025, 0.00020999999999999998,
        0.00021749999999999997, 0.000225, 0.00023249999999999999, 0.00023999999999999998,
        0.00024749999999999994, 0.00025499999999999996, 0.0002625, 0.00027, 0.00027749999999999997,
        0.000285, 0.00029249999999999995, 0.0003, 0.00029499999999999996, 0.00029, 0.000285,
        0.00028, 0.00027499999999999996, 0.00027, 0.000265, 0.00026, 0.00025499999999999996,
        0.00025, 0.000245, 0.00023999999999999998, 0.00023499999999999997, 0.00023, 0.000225,
        0.00021999999999999995, 0.000215, 0.00020999999999999998, 0.000205, 0.00019999999999999998,
        0.000195, 0.00018999999999999998, 0.000185, 0.00017999999999999998, 0.000175,
        0.00016999999999999999, 0.000165, 0.00015999999999999999, 0.000155, 0.00015, 0.000145,
        0.00014, 0.000135, 0.00013, 0.000125, 0.00011999999999999999, 0.000115,
        0.00010999999999999998, 0.00010499999999999999, 9.999999999999999e-05,
        9.499999999999999e-05, 8.999999999999999e-05, 8.499999999999999e-05, 7.999999999999999e-05,
        7.5e-05, 7e-05, 6.5e-05, 5.9999999999999995e-05, 5.499999999999999e-05,
        4.9999999999999996e-05, 4.4999999999999996e-05, 3.9999999999999996e-05, 3.5e-05,
        2.9999999999999997e-05, 2.4999999999999998e-05, 1.9999999999999998e-05,
        1.4999999999999999e-05, 9.999999999999999e-06, 4.9999999999999996e-06, 0.0, 0.0, 0.0
    ],
    ("cosine_min_lr", "w5-n30-r0.1"): [
        0.0, 0.020000000000000004, 0.04000000000000001, 0.06, 0.08000000000000002, 0.1,
        0.09964516155915151, 0.09858624225078841, 0.09683994186497132, 0.09443380060197387,
        0.09140576474687263, 0.08780358823396352, 0.08368407953869104, 0.07911220577405485,
        0.07416006812042827, 0.06890576474687264, 0.06343215915635762, 0.057825573378819106,
        0.05217442662118091, 0.046567840843642384, 0.04109423525312738, 0.03583993187957173,
        0.030887794225945144, 0.026315920461308963, 0.02219641176603649, 0.018594235253127374,
        0.01556619939802615, 0.013160058135028692, 0.011413757749211603, 0.010354838440848502,
        0.010000000000000002
    ],
    ("cosine_min_lr", "w3-n20-r0"): [
        0.0, 0.006666666666666666, 0.013333333333333332, 0.02, 0.019829730996839018,
        0.019324722294043556, 0.018502171357296142, 0.01739008917220659, 0.016026346363792566,
        0.014457383557765385, 0.01273662990072083, 0.01092268359463302, 0.009077316405366982,
        0.007263370099279172, 0.005542616442234618, 0.003973653636207437, 0.00260991082779341,
        0.00149782864270386, 0.000675277705956443, 0.00017026900316098216, 0.0
    ],
    ("cosine_min_lr", "w10-n50-r0.05"): [
        0.0, 5.9999999999999995e-05, 0.00011999999999999999, 0.00017999999999999998,
        0.00023999999999999998, 0.0003, 0.00035999999999999997, 0.00041999999999999996,
        0.00047999999999999996, 0.00054, 0.0006, 0.0005991214401139415, 0.0005964911770696143,
        0.0005921254273133378, 0.0005860511071441187, 0.0005783056667657166, 0.0005689368593936847,
        0.0005580024468409162, 0.0005455698433968599, 0.0005317157001960088, 0.0005165254326381661,
        0.0005000926937741022, 0.0004825187969033548, 0.0004639120909440454, 0.0004443872924257708,
        0.00042406477822405056, 0.00040306984339686004, 0.0003815319286989331,
        0.0003595838225364658, 0.00033736084228243584, 0.00031499999999999996,
        0.0002926391577175642, 0.0002704161774635341, 0.000248468071301067, 0.00022693015660313996,
        0.00020593522177594938, 0.00018561270757422915, 0.00016608790905595457,
        0.00014748120309664517, 0.00012990730622589768, 0.00011347456736183395,
        9.828429980399119e-05, 8.443015660314e-05, 7.199755315908373e-05, 6.106314060631517e-05,
        5.1694333234283277e-05, 4.394889285588124e-05, 3.7874572686662175e-05,
        3.350882293038577e-05, 3.087855988605853e-05, 2.9999999999999997e-05
    ],
    ("cosine_min_lr", "w1-n7-r0.3"): [
        0.0, 1.0, 0.9531088913245536, 0.825, 0.6499999999999999, 0.4750000000000001,
        0.3468911086754464, 0.3
    ],
}

PEAK = {(kind, name): max(vals) for (kind, name), vals in REFERENCE.items()}


def test_reference_covers_every_case() -> None:
    assert set(REFERENCE) == set(CASES)
    for key, values in REFERENCE.items():
        assert len(values) == n_updates(*key), key


# ---------------------------------------------------------------------------
# transformers' values at every whole step, to 1e-9 (float64)
# ---------------------------------------------------------------------------
# WSD, InverseSqrt and the cosine composition compute transformers' operations in its
# order, and agree to the last bit here. D2Z does not, by construction: Linear computes
# start_lr + (end_lr - start_lr) * k / m (peak - peak * k / m), transformers
# peak * ((n - t) / (n - w)); the two round differently, by a few ulps (<= 3e-15 relative).


@pytest.mark.parametrize(("kind", "name"), CASES, ids=CASE_IDS)
def test_values_match_kept_transformers_values(kind: str, name: str) -> None:
    ref = np.array(REFERENCE[(kind, name)])
    got = ours(kind, name)(np.arange(len(ref), dtype=np.float64))
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-12 * PEAK[(kind, name)])


@needs_transformers
@pytest.mark.parametrize(("kind", "name"), CASES, ids=CASE_IDS)
def test_values_match_transformers_live(kind: str, name: str) -> None:
    live = np.array(transformers_lrs(kind, name))
    # The kept values are transformers' (any drift in a new transformers release shows here).
    np.testing.assert_allclose(live, REFERENCE[(kind, name)], rtol=1e-12, atol=0)
    got = ours(kind, name)(np.arange(len(live), dtype=np.float64))
    np.testing.assert_allclose(got, live, rtol=1e-9, atol=1e-12 * PEAK[(kind, name)])


@needs_transformers
def test_cosine_min_lr_after_training_ends() -> None:
    """Past num_training_steps transformers' cosine climbs back (its progress passes 1 and
    the cosine turns up); lrdecay's Cosine holds ``alpha * peak``. Training runs
    num_training_steps updates, so the two agree wherever a plan trains."""
    peak, w, n, r = COSINE_MIN_CASES["w5-n30-r0.1"]
    live = transformers_lrs("cosine_min_lr", "w5-n30-r0.1", n + 11)
    s = ours("cosine_min_lr", "w5-n30-r0.1")
    assert live[n] == pytest.approx(r * peak, rel=1e-12)
    assert live[n + 10] > 2.0 * r * peak  # transformers rises again
    np.testing.assert_allclose(s(np.arange(n, n + 11.0)), r * peak, rtol=1e-12)


@needs_transformers
@pytest.mark.parametrize("name", [k for k in WSD_CASES
                                  if WSD_CASES[k]["warmup_steps"] != 0])
def test_wsd_between_whole_steps_is_transformers_formula(name: str) -> None:
    """At fractional t (an epoch-defined WSD run in-graph with steps_per_epoch), the values
    are transformers' factor function evaluated at that t."""
    from transformers.optimization import _get_wsd_scheduler_lambda

    c = WSD_CASES[name]
    s = WSD(**c)
    kw = dict(num_warmup_steps=c["warmup_steps"], num_stable_steps=c["stable_steps"],
              num_decay_steps=c["decay_steps"], warmup_type=c.get("warmup", "linear"),
              decay_type=c.get("decay", "cosine"), min_lr_ratio=c.get("min_lr_ratio", 0),
              num_cycles=0.5)
    ts = np.arange(0.0, s.horizon() + 3.0, 0.125)
    ref = [c["peak_lr"] * _get_wsd_scheduler_lambda(float(t), **kw) for t in ts]
    np.testing.assert_allclose(s(ts), ref, rtol=1e-12, atol=1e-15 * c["peak_lr"])


def test_wsd_stages_by_hand() -> None:
    s = WSD(0.2, warmup_steps=4, stable_steps=3, decay_steps=4, decay="linear",
            min_lr_ratio=0.25)
    # warmup from 0.25 * 0.2 = 0.05 to 0.2, stable, linear decay back to 0.05, then 0.05
    expected = [0.05, 0.0875, 0.125, 0.1625, 0.2, 0.2, 0.2, 0.2, 0.1625, 0.125, 0.0875, 0.05,
                0.05]
    np.testing.assert_allclose(s(np.arange(13.0)), expected, rtol=1e-15)
    assert s(1e9) == pytest.approx(0.05, rel=1e-15)
    assert WSD(0.1, 0, 0, 10)(0) == 0.1  # no warmup, no stable stage: starts at the peak
    assert WSD(0.1, 0, 0, 10, decay="1-sqrt")(2.5) == pytest.approx(0.05, rel=1e-15)


def test_inverse_sqrt_by_hand() -> None:
    s = InverseSqrt(0.1, warmup_steps=4)  # timescale 4
    assert s.timescale == 4.0
    np.testing.assert_allclose(s([0, 1, 2, 4, 16, 64]),
                               [0.0, 0.025, 0.05, 0.1, 0.05, 0.025], rtol=1e-15)
    assert InverseSqrt(0.1, 0).timescale == 10_000.0  # transformers' default without warmup
    assert InverseSqrt(0.1, 0)(30_000) == pytest.approx(0.05, rel=1e-15)
    assert InverseSqrt(0.1, 0, timescale=None) == InverseSqrt(0.1, 0, 10_000)


# ---------------------------------------------------------------------------
# Rex against the paper, in exact arithmetic
# ---------------------------------------------------------------------------


def rex_paper(lr0: float, total: float, lr_min: float, t: float) -> float:
    """Chen et al. (2022), eq. for the REX profile: with z = t / T,
    lr = lr_min + (lr0 - lr_min) * (1 - z) / (1/2 + 1/2 * (1 - z)); z held at 1 after T.
    Computed in rationals (Fraction), a different arrangement of the same formula."""
    z = min(Fraction(t), Fraction(total)) / Fraction(total)
    half = Fraction(1, 2)
    lr0_, lr_min_ = Fraction(lr0), Fraction(lr_min)
    return float(lr_min_ + (lr0_ - lr_min_) * (1 - z) / (half + half * (1 - z)))


@pytest.mark.parametrize(("lr0", "total", "lr_min"), [
    (0.1, 100, 0.0), (0.1, 100, 0.001), (1.0, 7, 0.0), (3e-4, 1, 3e-6), (0.05, 12.5, 0.05),
])
def test_rex_matches_the_paper(lr0: float, total: float, lr_min: float) -> None:
    s = Rex(lr0, total, lr_min)
    ts = [0.0, total / 4, total / 2, 3 * total / 4, max(total - 1, 0.0), total, total + 1,
          2 * total, 10 * total, 1e9]
    for t in ts:
        assert s(t) == pytest.approx(rex_paper(lr0, total, lr_min, t), rel=1e-14, abs=1e-18), t
    assert s(0.0) == lr0
    assert s(float(total)) == lr_min
    assert s(2.0 * total) == lr_min
    # half-way: (1/2) / (3/4) = 2/3 of the way from min_lr to initial_lr
    assert s(total / 2) == pytest.approx(lr_min + (lr0 - lr_min) * 2 / 3, rel=1e-14)
    # above the linear decay in between, and never increasing
    inner = np.linspace(0.0, total, 101)[1:-1]
    if lr0 > lr_min:
        assert np.all(s(inner) > lr_min + (lr0 - lr_min) * (1 - inner / total))
    assert np.all(np.diff(s(np.linspace(0.0, 2 * total, 401))) <= 0.0)


# ---------------------------------------------------------------------------
# Horizon, presentation, configuration
# ---------------------------------------------------------------------------

EXAMPLES = [
    WSD(0.1, 10, 20, 30),
    WSD(0.1, 7.5, 0, 12.5, warmup="1-sqrt", decay="linear", min_lr_ratio=0.1),
    WSD(3e-4, 0, 5, 40, warmup="cosine", decay="1-sqrt", min_lr_ratio=0.05),
    InverseSqrt(0.1, 10),
    InverseSqrt(0.1, 0),
    InverseSqrt(0.5, 10, timescale=3),
    Rex(0.1, 50),
    Rex(0.1, 50, min_lr=0.001),
]
EXAMPLE_IDS = [repr(s) for s in EXAMPLES]


def test_horizon() -> None:
    assert WSD(0.1, 10, 20, 30).horizon() == 60.0
    assert WSD(0.1, 0, 0, 5).horizon() == 5.0
    assert math.isinf(InverseSqrt(0.1, 10).horizon())
    assert Rex(0.1, 50).horizon() == 50.0
    for s in EXAMPLES:
        h = s.horizon()
        if math.isfinite(h):  # from the horizon on, the final value
            after = s(h + np.array([0.0, 0.5, 1.0, 10.0, 1e6]))
            np.testing.assert_array_equal(after, np.full(5, s(h)))
            assert s(max(h - 1.0, 0.0)) != s(h)


@pytest.mark.parametrize("s", EXAMPLES, ids=EXAMPLE_IDS)
def test_describe_and_plot(s: lrdecay.Schedule) -> None:
    d = s.describe()
    assert d["family"] in ("wsd", "inverse_sqrt", "rex")
    assert d["class_name"] == type(s).__name__
    assert d["formula"].startswith("lr(t) = ")
    assert s.default_horizon() > 0
    plt = pytest.importorskip("matplotlib.pyplot")
    ax = s.plot()
    assert len(ax.lines[0].get_xdata()) == s.default_horizon() + 1
    plt.close("all")


if __name__ == "__main__":  # print the REFERENCE block afresh from transformers
    import torch
    import transformers

    print(f"# transformers {transformers.__version__}, torch {torch.__version__}")
    print("REFERENCE: dict[tuple[str, str], list[float]] = {")
    for kind, name in CASES:
        body = ", ".join(repr(float(v)) for v in transformers_lrs(kind, name))
        print(f'    ("{kind}", "{name}"): [')
        for line in textwrap.wrap(body, 88, break_on_hyphens=False):
            print("        " + line)
        print("    ],")
    print("}")
