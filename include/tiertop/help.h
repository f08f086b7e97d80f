/* The help screen, generated from keymaps: what `?` shows is always what
 * the keys do. Each map gets its title, then "key  help" entries in as
 * many columns as the width allows (column by column, in the map's order);
 * consecutive bindings of one action share an entry ("Down, j  move").
 *
 * Nothing is allocated that outlives a call; maps and the canvas are
 * borrowed. */
#ifndef TIERTOP_HELP_H
#define TIERTOP_HELP_H

#include <stddef.h>

struct tt_canvas;
struct tt_keymap;

/* Draws the lines [scroll, scroll + h) of the help into rows [y, y + h) of
 * c, the whole width (the rows are cleared first). */
void tt_keymap_help_draw(const struct tt_keymap *const *maps, size_t n, struct tt_canvas *c, int y, int h,
                         int scroll);
/* How many lines the help takes at c's width (to bound scrolling). */
int tt_keymap_help_lines(const struct tt_keymap *const *maps, size_t n, const struct tt_canvas *c);

#endif
