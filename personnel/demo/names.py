"""Vietnamese names, places and ethnicities for the synthetic demo data.

Everything draws from a `random.Random` passed in; nothing here touches the global random
generator, so the same seed always gives the same people. Every string is NFC.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass


def _nfc(words: str) -> list[str]:
    return [unicodedata.normalize("NFC", w.replace("_", " ")) for w in words.split()]


def _weighted(pairs: str) -> tuple[list[str], list[float]]:
    """'Nguyễn:38 Trần:11' -> (['Nguyễn', 'Trần'], [38.0, 11.0])."""
    names, weights = [], []
    for item in pairs.split():
        name, weight = item.rsplit(":", 1)
        names.append(unicodedata.normalize("NFC", name.replace("_", " ")))
        weights.append(float(weight))
    return names, weights


# Kinh surnames, weighted roughly by their share of the population.
SURNAMES = _weighted(
    "Nguyễn:38 Trần:11 Lê:9.5 Phạm:7 Hoàng:3.5 Huỳnh:2.5 Phan:4.5 Vũ:2.5 Võ:3.5 Đặng:2.1 "
    "Bùi:2 Đỗ:1.4 Hồ:1.3 Ngô:1.3 Dương:1 Lý:0.5 Đinh:0.8 Trịnh:0.6 Mai:0.5 Cao:0.4 "
    "Lương:0.4 Đoàn:0.5 Tạ:0.3 Hà:0.5 Lại:0.2 Chu:0.3 Kiều:0.2 Vương:0.2 Văn:0.2 Trương:0.6"
)

MIDDLE_MALE = _weighted(
    "Văn:34 Hữu:7 Đức:7 Minh:7 Quang:6 Công:5 Xuân:4 Thanh:4 Ngọc:3 Đình:5 Tiến:3 "
    "Trọng:3 Quốc:3 Mạnh:2 Thế:3 Bá:2 Duy:2 Anh:2 Trung:2 Việt:2"
)
MIDDLE_FEMALE = _weighted(
    "Thị:55 Thu:6 Ngọc:6 Thanh:6 Minh:4 Kim:4 Thúy:3 Hồng:4 Phương:3 Mai:2 Diệu:1 Bích:2 "
    "Hoài:2 Khánh:2"
)
GIVEN_MALE = _nfc(
    "An Bình Cường Dũng Dương Đạt Đức Giang Hải Hùng Huy Hưng Khánh Khoa Kiên Lâm Long Lợi "
    "Mạnh Minh Nam Nghĩa Phong Phúc Quân Quang Sơn Tài Thắng Thành Thịnh Toàn Trung Tuấn Tùng "
    "Vinh Việt Hoàng Hiếu Hậu Tâm Thuận Trường Chiến Công Định Hòa Hiển Khải Lực Ngọc Phương "
    "Quý Sang Tiến Trí Tú Tuyên Vũ Bảo Chung Đông Hạnh Hiệp Kha Luân Nhân Sỹ Thông Thiện Tình"
)
GIVEN_FEMALE = _nfc(
    "Anh Châu Dung Hà Hạnh Hằng Hiền Hoa Hồng Huệ Hương Lan Liên Linh Loan Mai Nga Ngân "
    "Nhung Oanh Phương Quyên Thảo Thủy Trang Tuyết Vân Yến Giang Thu Nhàn Hải Hậu Huyền Khánh_Linh "
    "Lệ Lý Minh Nguyệt Nhi Phượng Quỳnh Tâm Thanh Thắm Thơ Thúy Trâm Uyên Xuân Hòa Bích Diệp"
)

# Ethnicities with their share among cadres (≈ 88 % Kinh overall, varying by commune).
MINORITIES = _nfc("Tày Thái Mường Khmer Hoa Nùng H'Mông Dao Sán_Dìu Ê_Đê Gia_Rai")
MINORITY_WEIGHTS = [2.6, 2.0, 1.8, 1.6, 0.9, 1.2, 1.0, 0.8, 0.3, 0.2, 0.2]
# Minority profiles of a commune: which groups live there.
PROFILE_GROUPS = {
    "lowland": (["Mường", "Hoa", "Khmer", "Tày"], 0.03),
    "midland": (["Tày", "Nùng", "Mường", "Sán Dìu", "Dao"], 0.25),
    "highland": (["H'Mông", "Dao", "Thái", "Tày", "Nùng", "Ê Đê", "Gia Rai"], 0.55),
}

ETHNIC_SURNAMES = {
    "Tày": _nfc("Hoàng Nông Lục Ma Hà Lương Triệu Bế Đàm Nông"),
    "Nùng": _nfc("Nông Hoàng Lục Vi Chu Lăng Mã"),
    "Thái": _nfc("Lò Cầm Quàng Lường Điêu Lò Tòng Vi"),
    "Mường": _nfc("Bùi Đinh Quách Hà Bạch Xa"),
    "Khmer": _nfc("Thạch Sơn Danh Kim Lâm Châu Thạch"),
    "Hoa": _nfc("Lý Quách Trương Lâm Hứa Tăng Lưu"),
    "H'Mông": _nfc("Giàng Sùng Vàng Thào Lầu Hờ Mùa Sộng Lý"),
    "Dao": _nfc("Triệu Bàn Đặng Lý Phùng Chảo"),
    "Sán Dìu": _nfc("Diệp Trương Lam Tạ"),
    "Ê Đê": _nfc("Y_Niê H'_Niê Ksor Mlô Êban"),
    "Gia Rai": _nfc("Rơ_Châm Ksor Siu Rah_Lan"),
}
ETHNIC_GIVEN_MALE = {
    "H'Mông": _nfc("Páo Chứ Dình Lử Sính Mua Chừ Pó"),
    "Khmer": _nfc("Sô_Phal Sa_Rươn Chanh Sóc Khánh"),
    "Thái": _nfc("Pọm Xuân Lả Khay Thương"),
    "Dao": _nfc("Quẩy Vần Chòi Lìn"),
}
ETHNIC_GIVEN_FEMALE = {
    "H'Mông": _nfc("Mỷ Sua Dợ Pà Chư"),
    "Khmer": _nfc("Sô_Phia Sa_Ry Thanh_Thảo Kim_Hoa"),
    "Thái": _nfc("Ín Xuân Lả Thoa"),
    "Dao": _nfc("Mẩy Nái Slinh"),
}
ETHNIC_MIDDLE = {
    "H'Mông": (_nfc("A Seo Chứ"), _nfc("Thị Thị Thị")),
    "Dao": (_nfc("Văn Láo"), _nfc("Thị")),
}

# Places: provinces (with the 3-digit code printed in the CCCD) and syllables for communes.
PROVINCES = [
    ("Hà Nội", "001"),
    ("Hà Giang", "002"),
    ("Cao Bằng", "004"),
    ("Tuyên Quang", "008"),
    ("Lào Cai", "010"),
    ("Điện Biên", "011"),
    ("Lai Châu", "012"),
    ("Sơn La", "014"),
    ("Thái Nguyên", "019"),
    ("Lạng Sơn", "020"),
    ("Quảng Ninh", "022"),
    ("Bắc Giang", "024"),
    ("Phú Thọ", "025"),
    ("Hải Phòng", "031"),
    ("Hưng Yên", "033"),
    ("Thái Bình", "034"),
    ("Nam Định", "036"),
    ("Ninh Bình", "037"),
    ("Thanh Hóa", "038"),
    ("Nghệ An", "040"),
    ("Hà Tĩnh", "042"),
    ("Quảng Bình", "044"),
    ("Quảng Trị", "045"),
    ("Huế", "046"),
    ("Đà Nẵng", "048"),
    ("Quảng Ngãi", "051"),
    ("Bình Định", "052"),
    ("Khánh Hòa", "056"),
    ("Đắk Lắk", "066"),
    ("Lâm Đồng", "068"),
    ("Đồng Nai", "075"),
    ("Hồ Chí Minh", "079"),
    ("Tây Ninh", "072"),
    ("Cần Thơ", "092"),
    ("Vĩnh Long", "086"),
    ("An Giang", "089"),
    ("Cà Mau", "096"),
]
PROVINCES = [(unicodedata.normalize("NFC", n), c) for n, c in PROVINCES]

PLACE_SYLLABLES = _nfc(
    "An Bình Hòa Phú Tân Long Thạnh Hưng Mỹ Phước Đông Tây Nam Bắc Trung Thuận Hiệp Lợi Lộc "
    "Phong Quang Sơn Thủy Vĩnh Xuân Yên Hồng Minh Đức Thành Thịnh Kim Ngọc Cẩm Gia Hải Hà Lạc "
    "Tiến Định Hiền Lương Khánh Cát Thái Châu Diễn Quỳnh Hương Nghĩa Trường Tường Vân Lâm Hợp "
    "Tràng Đại Đồng Nhân Liên Chánh Kiến Triệu Hội Hoa Lập Phúc Thọ Kỳ Mai"
)
VILLAGE_WORDS = _nfc("Đông Tây Nam Bắc Trung Thượng Hạ Tân_Lập Đồng_Tâm Phú_Lộc Hòa_Bình")


@dataclass(frozen=True)
class Person:
    surname: str
    middle: str
    given: str
    sex: str  # "male" / "female"
    ethnicity: str

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.middle, self.given) if p)

    @property
    def family_part(self) -> str:
        """Surname and middle name: Django's last_name in the Vietnamese convention."""
        return " ".join(p for p in (self.surname, self.middle) if p)


def pick_ethnicity(rng: random.Random, profile: str) -> str:
    groups, share = PROFILE_GROUPS[profile]
    if rng.random() >= share:
        return "Kinh"
    weights = [MINORITY_WEIGHTS[MINORITIES.index(g)] for g in groups]
    return rng.choices(groups, weights)[0]


def person(rng: random.Random, sex: str, ethnicity: str = "Kinh") -> Person:
    female = sex == "female"
    if ethnicity in ETHNIC_SURNAMES and rng.random() < 0.8:
        surname = rng.choice(ETHNIC_SURNAMES[ethnicity])
    else:
        surname = rng.choices(*SURNAMES)[0]
    special = ETHNIC_MIDDLE.get(ethnicity)
    if special and rng.random() < 0.7:
        middle = rng.choice(special[1] if female else special[0])
    else:
        middle = rng.choices(*(MIDDLE_FEMALE if female else MIDDLE_MALE))[0]
    pool = (ETHNIC_GIVEN_FEMALE if female else ETHNIC_GIVEN_MALE).get(ethnicity)
    if pool and rng.random() < 0.6:
        given = rng.choice(pool)
    else:
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    if middle == given:
        middle = "Thị" if female else "Văn"
    return Person(surname, middle, given, sex, ethnicity)


def sibling_of(rng: random.Random, other: Person, sex: str) -> Person:
    """A sibling keeps the surname (and often the middle name if of the same sex)."""
    fresh = person(rng, sex, other.ethnicity)
    middle = other.middle if sex == other.sex and rng.random() < 0.6 else fresh.middle
    return Person(other.surname, middle, fresh.given, sex, other.ethnicity)


def place_names(rng: random.Random, count: int, taken: set[str] | None = None) -> list[str]:
    """`count` distinct two-syllable place names ("Tân Phú", "Hòa Bình")."""
    taken = set() if taken is None else taken
    names: list[str] = []
    while len(names) < count:
        a, b = rng.sample(PLACE_SYLLABLES, 2)
        name = f"{a} {b}"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


CITIES = {"Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}


def hometown(rng: random.Random) -> tuple[str, str]:
    """A hometown outside the seeded province, with its CCCD province code."""
    province, code = rng.choice(PROVINCES)
    kind = "thành phố" if province in CITIES else "tỉnh"
    return f"xã {place_names(rng, 1)[0]}, {kind} {province}", code
