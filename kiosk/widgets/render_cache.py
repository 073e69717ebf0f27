"""RenderCache: a part of a screen drawn once into a picture of its own, and shown as that one picture until
something in it changes.

Kivy draws the whole window on every frame it draws, and with no GPU (Mesa's llvmpipe, as on the development
machine and in CI) that is done pixel by pixel on the CPU: Køb's sixteen product tiles alone cost ~20 ms of CPU a
frame, every frame, although a scan changes nothing in them (bench/scan_to_screen.py; README, Performance).  The
children of a RenderCache are drawn into an offscreen framebuffer (a Kivy Fbo), which Kivy draws again only when an
instruction inside it changed (a tile pressed, the list scrolled); every other frame copies the finished picture,
one textured rectangle.

Rules for what goes in one:
* what rarely changes while something beside it does (a product list beside the cart);
* whose drawing stays inside its own box (a ScrollView's content is clipped to it anyway), or within `margin`
  pixels of it (a button's outline drawn a pixel past its edge): anything further out is cut off;
* over a plain colour, its box and margin alike: the picture starts from `background` (the window's clear colour
  unless told), since the picture is opaque and covers what is under it;
* never see-through: the picture is copied without blending, so an opacity below 1 (its own or a parent's) does
  not show.
Touches reach the children as usual (it is a RelativeLayout: the children's coordinates start at its corner).

Words that change often (a basket line's count and amount) can be drawn over the picture instead of into it: an
OverPicture child (a Label) is drawn on the window after the picture, in the same coordinates, so its change draws
nothing again but its own words.  Its place is usually a spot (an empty Widget) laid out inside the picture.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from kivy.graphics import (
    Callback,
    Canvas,
    ClearBuffers,
    ClearColor,
    Color,
    Fbo,
    PopMatrix,
    PushMatrix,
    Rectangle,
    Translate,
)
from kivy.graphics.opengl import GL_BLEND, glDisable, glEnable
from kivy.properties import ColorProperty, NumericProperty
from kivy.uix.label import Label
from kivy.uix.relativelayout import RelativeLayout


class OverPicture(Label):
    """Words drawn over a RenderCache's picture, not into it: as a direct child of the RenderCache."""


class RenderCache(RelativeLayout):
    background = ColorProperty(None, allownone=True)  # opaque; None: the window's clear colour
    margin = NumericProperty(0)  # whole pixels drawn around the box too (only `background` or its children there)

    def __init__(self, **kwargs: Any) -> None:
        self.canvas = Canvas()  # before the widget makes its own: the children go into the Fbo, not into this
        with self.canvas:
            self.fbo = Fbo(size=(1, 1), with_stencilbuffer=True)  # a ScrollView inside clips with the stencil
            Color(1, 1, 1, 1)
            # The picture is opaque: copied without blending, llvmpipe does not read what it covers (~8 ms of CPU
            # less per Køb frame).
            Callback(_blending_off)
            self._picture = Rectangle(size=(1, 1))
            Callback(_blending_on)
        with self.fbo.before:
            self._clear_colour = ClearColor(0, 0, 0, 1)
            ClearBuffers(clear_color=True, clear_stencil=True)
            PushMatrix()
            self._offset = Translate(0, 0)  # the children's (0, 0) is `margin` pixels into the picture
        with self.fbo.after:
            PopMatrix()
        super().__init__(**kwargs)
        self.fbind("size", self._resize)
        self.fbind("margin", self._resize)
        self.fbind("background", self._colour)
        self._resize()
        self._colour()
        _live.add(self)
        _hook_window()

    def _resize(self, *_args: Any) -> None:
        margin = int(self.margin)
        size = (max(1, math.ceil(self.width)) + 2 * margin, max(1, math.ceil(self.height)) + 2 * margin)
        self.fbo.size = size  # a new size is a new, empty framebuffer: Kivy draws it again
        texture = self.fbo.texture
        # Texel for pixel: where the box lies at a fraction of a pixel, the nearest texel, not a blur of two.
        texture.mag_filter = texture.min_filter = "nearest"
        self._offset.xy = (margin, margin)
        self._picture.texture = texture
        self._picture.pos = (-margin, -margin)
        self._picture.size = size

    def _colour(self, *_args: Any) -> None:
        from kivy.core.window import Window

        colour = self.background if self.background is not None else Window.clearcolor
        self._clear_colour.rgba = (*colour[:3], 1)

    # The children's drawing goes into the framebuffer, not onto the window (as Kivy's EffectWidget does).

    def add_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        with self._children_canvas(widget):
            super().add_widget(widget, *args, **kwargs)

    def remove_widget(self, widget: Any, *args: Any, **kwargs: Any) -> None:
        with self._children_canvas(widget):
            super().remove_widget(widget, *args, **kwargs)

    @contextmanager
    def _children_canvas(self, child: Any) -> Iterator[None]:
        """Kivy adds and removes a child's canvas on `self.canvas`: the framebuffer's, for that moment (the
        window's, after the picture, for an OverPicture)."""
        if isinstance(child, OverPicture):
            yield
            return
        canvas, self.canvas = self.canvas, self.fbo
        try:
            yield
        finally:
            self.canvas = canvas


_live: weakref.WeakSet[RenderCache] = weakref.WeakSet()


def _blending_off(*_args: Any) -> None:
    glDisable(GL_BLEND)


def _blending_on(*_args: Any) -> None:
    glEnable(GL_BLEND)  # as Kivy draws everything else


def _draw_changed_first(*_args: Any) -> None:
    """Window.on_draw, before Kivy clears the window and draws it: the pictures that changed are drawn first.  Met
    where they sit, in the middle of the window's drawing, each one split llvmpipe's work on the window in two (a
    switch of framebuffer flushes what is queued), and a scan's frame cost more than the picture saved."""
    for cache in list(_live):
        if cache.fbo.needs_redraw and cache.get_root_window() is not None:
            cache.fbo.draw()
    return None


def _window_colour(*_args: Any) -> None:
    for cache in list(_live):
        cache._colour()


def _hook_window() -> None:
    """Once, with the first RenderCache: the window exists by then (importing it earlier would make it, before
    configure_kivy has sized it)."""
    global _hooked
    if _hooked:
        return
    from kivy.core.window import Window

    _hooked = True
    Window.fbind("on_draw", _draw_changed_first)
    Window.fbind("clearcolor", _window_colour)


_hooked = False
