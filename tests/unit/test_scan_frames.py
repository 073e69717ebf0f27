"""Scanner framing without a port: terminators, split frames, junk, AIM prefixes, decoding."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from kiosk.devices.frames import FrameAssembler, decode_frame, strip_aim


def feed_all(assembler: FrameAssembler, *chunks: bytes, now: float = 0.0) -> list[bytes]:
    return [frame for chunk in chunks for frame in assembler.feed(chunk, now=now)]


def test_cr_lf_and_crlf_each_end_one_frame() -> None:
    assert feed_all(FrameAssembler(), b"111\r222\n333\r\n") == [b"111", b"222", b"333"]


def test_a_crlf_split_between_two_reads_gives_no_empty_frame() -> None:
    assembler = FrameAssembler()
    assert feed_all(assembler, b"111\r", b"\n", b"222\r", b"\n") == [b"111", b"222"]


def test_pieces_of_one_frame_are_joined_until_the_terminator() -> None:
    assembler = FrameAssembler()
    assert assembler.feed(b"5701", now=0.0) == []
    assert assembler.feed(b"234567", now=0.1) == []
    assert assembler.feed(b"890\r\n", now=0.2) == [b"5701234567890"]


def test_an_overlong_frame_is_dropped_whole_reported_as_garbage_and_the_next_frame_is_clean() -> None:
    junk: list[bytes] = []
    assembler = FrameAssembler(max_length=512, on_garbage=junk.append)
    frames = feed_all(assembler, b"x" * 300, b"x" * 300, b"tail of junk\r\n5701234567890\r\n")
    assert frames == [b"5701234567890"]
    assert sum(len(j) for j in junk) == 600 + len(b"tail of junk")


def test_a_frame_of_exactly_the_limit_is_still_a_frame() -> None:
    assert feed_all(FrameAssembler(max_length=512), b"7" * 512 + b"\r") == [b"7" * 512]


def test_a_stale_partial_frame_is_dropped_instead_of_glued_onto_the_next_scan() -> None:
    junk: list[bytes] = []
    assembler = FrameAssembler(stale_after_s=1.0, on_garbage=junk.append)
    assert assembler.feed(b"\x00\x07noise", now=10.0) == []
    assert assembler.feed(b"5701234567890\r\n", now=12.5) == [b"5701234567890"]
    assert junk == [b"\x00\x07noise"]


def test_aim_symbology_prefixes_are_removed_from_the_start_only() -> None:
    assert strip_aim("]Q1https://example.org") == "https://example.org"
    assert strip_aim("]E05701234567890") == "5701234567890"
    assert strip_aim("]C1(01)05701234567890") == "(01)05701234567890"
    assert strip_aim("]d2010570123456789") == "010570123456789"
    assert strip_aim("5701234567890") == "5701234567890"
    assert strip_aim("abc]E0def") == "abc]E0def"
    assert strip_aim("]") == "]"


def test_decoding_prefers_utf8_falls_back_to_latin1_and_trims_control_bytes() -> None:
    assert decode_frame("]Q1Æblekage".encode()) == "Æblekage"
    assert decode_frame(b"\xc6blekage") == "Æblekage"
    assert decode_frame(b"\x02 5701234567890 \x03") == "5701234567890"
    assert decode_frame(b"\x00\x07") == ""
    assert decode_frame(b"]E0") == ""


@given(st.lists(st.binary(max_size=700), max_size=20))
def test_any_byte_soup_never_raises_and_frames_never_hold_a_terminator(chunks: list[bytes]) -> None:
    assembler = FrameAssembler(max_length=512, on_garbage=lambda junk: None)
    for t, chunk in enumerate(chunks):
        for frame in assembler.feed(chunk, now=t * 0.5):
            assert frame and b"\r" not in frame and b"\n" not in frame
            assert len(frame) <= 512
            decode_frame(frame)  # never raises


@given(
    st.lists(st.binary(min_size=1, max_size=80).filter(lambda b: b"\r" not in b and b"\n" not in b), max_size=8),
    st.sampled_from([b"\r", b"\n", b"\r\n"]),
    st.lists(st.integers(min_value=0, max_value=1000), max_size=10),
)
def test_frames_come_out_unchanged_however_the_stream_is_cut(
    frames: list[bytes], terminator: bytes, cuts: list[int]
) -> None:
    stream = b"".join(frame + terminator for frame in frames)
    points = sorted({min(c, len(stream)) for c in cuts} | {0, len(stream)})
    chunks = [stream[a:b] for a, b in pairwise(points)]
    assert feed_all(FrameAssembler(), *chunks) == frames


def test_after_a_pause_an_unterminated_junk_run_no_longer_swallows_the_next_scan() -> None:
    assembler = FrameAssembler(max_length=16, stale_after_s=1.0, on_garbage=lambda junk: None)
    assert assembler.feed(b"~" * 40, now=0.0) == []
    assert assembler.feed(b"5701234567890\r\n", now=3.0) == [b"5701234567890"]
