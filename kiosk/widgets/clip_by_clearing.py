"""The screen manager's clip made by clearing the stencil buffer instead of painting it.

Kivy's ScreenManager clips its screens with the stencil: before the screen it paints its whole rectangle into the
stencil buffer (StencilPush, Rectangle) and after it paints it again to undo that (StencilUnUse, Rectangle).  With
no GPU (Mesa's llvmpipe) those are two passes over every pixel of the window on every frame, ~8 ms of CPU a frame at
1280x800 (bench/scan_to_screen.py).  Where the manager covers the whole window and is the outermost clip (the
root's), clearing the stencil buffer to 1 leaves it just as the first pass does, and the second pass only undoes
it for the StencilPop that ends the stencil anyway.  Anywhere else the rectangles are painted as Kivy does.
"""

from __future__ import annotations

from typing import Any

from kivy.graphics import Callback, Rectangle, StencilPush, StencilUnUse
from kivy.graphics.opengl import GL_STENCIL_BUFFER_BIT, glClear, glClearStencil


def clip_by_clearing(manager: Any) -> None:
    """Replace the two stencil rectangles of `manager`'s kv rule (Kivy's style.kv, <ScreenManager>)."""
    from kivy.core.window import Window  # here: importing it makes the window, which waits for configure_kivy

    before, after = manager.canvas.before, manager.canvas.after
    painted_before, painted_after = _rectangle_after(before, StencilPush), _rectangle_after(after, StencilUnUse)
    if painted_before is None or painted_after is None:  # Kivy drew its clip some other way: leave it
        return
    state = {"whole": False}
    paint_before, paint_after = Rectangle(), Rectangle()  # ours: Kivy's rule keeps resizing its own

    def fill(_instruction: Any) -> None:
        if state["whole"]:
            glClearStencil(1)
            glClear(GL_STENCIL_BUFFER_BIT)
            glClearStencil(0)

    def follow(*_args: Any) -> None:
        x, y = manager.to_window(manager.x, manager.y)
        state["whole"] = (x, y) == (0, 0) and tuple(manager.size) == tuple(Window.size)
        for rectangle in (paint_before, paint_after):
            rectangle.pos = manager.pos
            rectangle.size = (0, 0) if state["whole"] else manager.size

    for canvas, painted, ours in ((before, painted_before, paint_before), (after, painted_after, paint_after)):
        index = canvas.indexof(painted)
        canvas.remove(painted)
        canvas.insert(index, ours)
    before.insert(before.indexof(paint_before) + 1, Callback(fill))
    manager.fbind("pos", follow)
    manager.fbind("size", follow)
    Window.fbind("size", follow)
    follow()


def _rectangle_after(canvas: Any, kind: type) -> Rectangle | None:
    seen = False
    for instruction in canvas.children:
        seen = seen or isinstance(instruction, kind)
        if seen and isinstance(instruction, Rectangle):
            return instruction
    return None
