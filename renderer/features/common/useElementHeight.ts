import { useLayoutEffect, useState, type RefObject } from 'react';

/** An element's content height in pixels, followed as it resizes (virtual lists need pixels, not "what is left"). */
export function useElementHeight(ref: RefObject<HTMLElement | null>): number {
  const [height, setHeight] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setHeight(Math.floor(el.getBoundingClientRect().height)); // before the first paint, not a frame later
    const ro = new ResizeObserver(([e]) => setHeight(Math.floor(e!.contentRect.height)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return height;
}
