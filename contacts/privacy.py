"""What the office holds about one journalist, for a subject access request.

Other modules (mailings, accreditation) register their own sections by appending a
callable `(journalist) -> (section name, JSON-serialisable data)` to
PERSONAL_DATA_SECTIONS, typically from their AppConfig.ready().
"""

from collections.abc import Callable
from typing import Any

PERSONAL_DATA_SECTIONS: list[Callable[[Any], tuple[str, Any]]] = []
