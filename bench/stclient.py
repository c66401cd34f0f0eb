"""A minimal Streamlit client: the browser's WebSocket protocol without a browser.

It speaks what Streamlit's frontend speaks on `/_stcore/stream`: `BackMsg.rerun_script`
(a `ClientState` with the page and the widget values) out, `ForwardMsg`s in until
`script_finished`. Used by bench/load.py (simulated users) and by the replica test, which
reads what a page shows (widget options, text) from the elements a run sends.

Loopback only: `connect` refuses any host other than 127.0.0.1/localhost.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# A page with a map sends a few MB per run (the map's HTML and data as component arguments).
MAX_MESSAGE_BYTES = 64 * 2**20


class RunFailed(RuntimeError):
    """The script raised, did not compile, or the connection broke."""


@dataclass
class Run:
    seconds: float
    elements: list = field(default_factory=list)  # Element protos, in the order received
    messages: int = 0
    bytes: int = 0

    def widgets(self, kind: str) -> dict[str, object]:
        """label -> element proto of the widgets of `kind` ('multiselect', 'selectbox', …)."""
        found = {}
        for element in self.elements:
            if element.WhichOneof("type") == kind:
                widget = getattr(element, kind)
                found[widget.label] = widget
        return found

    def texts(self) -> list[str]:
        """Markdown, headings, alerts and captions shown by the run."""
        out = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            if kind in ("markdown", "heading", "alert", "text"):
                out.append(getattr(element, kind).body)
        return out


class Session:
    """One simulated browser tab: one WebSocket, one Streamlit session."""

    def __init__(self, base_url: str, page: str = ""):
        parsed = urlparse(base_url)
        if parsed.hostname not in LOCAL_HOSTS:
            raise ValueError(f"only loopback servers are allowed, not {parsed.hostname!r}")
        self.url = f"ws://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"
        self.page = page
        self.widget_states: dict[str, WidgetState] = {}
        self.socket = None

    async def __aenter__(self) -> "Session":
        self.socket = await websockets.connect(self.url, subprotocols=["streamlit"],
                                               max_size=MAX_MESSAGE_BYTES, open_timeout=30,
                                               ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    def set_multiselect(self, widget, values: list[str]) -> None:
        """Choose `values` (formatted as shown) in a multiselect or a row of pills."""
        state = WidgetState(id=widget.id)
        state.string_array_value.data.extend(values)
        self.widget_states[widget.id] = state

    def set_selectbox(self, widget, value: str) -> None:
        state = WidgetState(id=widget.id)
        state.string_value = value
        self.widget_states[widget.id] = state

    async def run(self, timeout: float = 120) -> Run:
        """Ask for a rerun with the current widget values; wait for its end."""
        message = BackMsg()
        message.rerun_script.page_name = self.page
        message.rerun_script.widget_states.widgets.extend(self.widget_states.values())
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        run = Run(seconds=0.0)
        deadline = started + timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise RunFailed(f"no script_finished within {timeout} s")
            try:
                raw = await _receive(self.socket, remaining)
            except websockets.ConnectionClosed as error:
                raise RunFailed(f"connection closed: {error}") from error
            run.messages += 1
            run.bytes += len(raw)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                if element.WhichOneof("type") == "exception":
                    raise RunFailed(f"the script raised: {element.exception.type}: "
                                    f"{element.exception.message[:200]}")
                run.elements.append(element)
            elif kind == "script_finished":
                status = forward.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RunFailed("the script did not compile")
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    run.elements.clear()  # st.rerun(): the next run's elements replace these
                    continue
                run.seconds = time.perf_counter() - started
                return run


async def _receive(socket, timeout: float) -> bytes:
    import asyncio

    raw = await asyncio.wait_for(socket.recv(), timeout)
    if isinstance(raw, str):
        raise RunFailed("unexpected text frame")
    return raw
