/* tiertop items TABLE --keys FILE|-: many items by key in BatchGetItem
 * calls, the keys read as JSON Lines (plain, or typed with --typed).
 *
 * tt_items_keys_load runs before any request (a bad line is a usage error
 * naming the line); *keys and each key are the caller's, freed with
 * tt_items_keys_free, or handed to the item model (tiertop/items.h), which
 * reads them. */
#ifndef TIERTOP_APP_ITEMS_KEYS_H
#define TIERTOP_APP_ITEMS_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "tiertop/ddb_value.h"

/* More keys than anyone types: past it the input is probably not keys. */
#define TT_ITEMS_KEYS_MAX_BYTES ((size_t)64 << 20)

int tt_items_keys_load(const char *source, enum tt_ddb_format fmt, struct tt_ddb_value ***keys, size_t *n,
		       struct tt_err *err);
void tt_items_keys_free(struct tt_ddb_value **keys, size_t n);

#endif
