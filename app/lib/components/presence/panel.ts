/**
 * Top-bar panels that open from a button in the middle of the bar: on phones they span the
 * screen under the bar instead of hanging off the button (and off the left edge).
 */
export const PHONE_PANEL = 'max-sm:fixed max-sm:inset-x-3 max-sm:top-[calc(3.5rem+env(safe-area-inset-top))] max-sm:mt-0 max-sm:w-auto';
