"""A ScreenManager that builds each screen the first time it is needed.

Building every screen's widgets up front cost most of the start-up time (hundreds of widgets from kv rules);
the home screen is what the first frame needs.  The others are built on first use (`get_screen`, which Kivy's
own ``current`` switch goes through) or, while the kiosk is idle after start-up, one per frame by `build_next`.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.uix.screenmanager import Screen, ScreenManager

from kiosk.widgets.clip_by_clearing import clip_by_clearing


class LazyScreenManager(ScreenManager):
    def __init__(self, **kwargs: Any) -> None:
        self._factories: dict[str, Callable[..., Screen]] = {}
        self._prebuild_event: Any = None
        # Screens the idle prebuild leaves alone (built only if shown): Kom i gang's, once the shop is set up.
        self.prebuild_skip: Callable[[str], bool] = lambda _name: False
        super().__init__(**kwargs)
        clip_by_clearing(self)  # its clip by a stencil clear, not two passes over the window (llvmpipe: ~8 ms/frame)

    def set_factories(self, factories: dict[str, Callable[..., Screen]]) -> None:
        """Forget every screen; each name in `factories` is built again when first needed."""
        # The screens not on show first, then the one on show: Kivy's remove_widget of the current screen makes
        # the next one current, so clearing them all at once entered every built screen in turn (each loading what
        # it shows from the database: a language switch ran ~25 screens' queries, and a screen still holding a job
        # that new services do not have raised JobNotFound).  The last one goes with current = None: none entered.
        shown = self.current_screen
        self.clear_widgets([screen for screen in self.screens if screen is not shown])
        self.clear_widgets()
        self._factories = dict(factories)

    def get_screen(self, name: str) -> Screen:
        factory = self._factories.pop(name, None)
        if factory is not None:
            self.add_widget(factory(name=name))
        return super().get_screen(name)  # type: ignore[no-any-return]

    def has_screen(self, name: str) -> bool:
        return name in self._factories or bool(super().has_screen(name))

    def build_next(self) -> bool:
        """Build one screen not built yet (and not skipped); False when all are built."""
        name = next((name for name in self._factories if not self.prebuild_skip(name)), None)
        if name is None:
            return False
        self.get_screen(name)
        return True

    @property
    def prebuilding(self) -> bool:
        return self._prebuild_event is not None

    def prebuild_after(self, seconds: float) -> None:
        """From `seconds` on, build the screens not built yet one per frame (once; a second call changes nothing)."""
        if self._prebuild_event is None:
            self._prebuild_event = Clock.schedule_once(self._start_prebuild, seconds)

    def stop_prebuild(self) -> None:
        if self._prebuild_event is not None:
            self._prebuild_event.cancel()
            self._prebuild_event = None

    def _start_prebuild(self, _dt: float) -> None:
        self._prebuild_event = Clock.schedule_interval(self._build_one_screen, 0)

    def _build_one_screen(self, _dt: float) -> bool:
        if self.build_next():
            return True
        self._prebuild_event = None
        # What exists now lives as long as the app (screens, mappers, caches): keep it out of the collector's
        # full passes, which otherwise walk all of it (a pause of up to half a second, met as a late scan).
        gc.collect()
        gc.freeze()
        return False
