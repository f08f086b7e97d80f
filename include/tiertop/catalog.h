/* What to watch for each kind of resource: the CloudWatch metrics an
 * operator looks at first, per tier (aws-wire.md 4.3, 5.1, 5.2). Pure data.
 *
 * Ownership: tt_catalog_for returns a pointer into a static table;
 * tt_catalog_queries fills the caller's array with queries whose strings
 * point into the table and into the resource name given (which must outlive
 * the queries). */
#ifndef TIERTOP_CATALOG_H
#define TIERTOP_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/svc_cloudwatch.h"

enum tt_resource_kind {
	TT_RES_REST_API,    /* name = API name, qualifier = stage */
	TT_RES_HTTP_API,    /* name = API id, qualifier = stage */
	TT_RES_WS_API,      /* a WebSocket API: name = API id, qualifier = stage */
	TT_RES_FUNCTION,    /* name = function name */
	TT_RES_TABLE,       /* name = table name */
	TT_RES_KIND_COUNT,
};

/* REST, HTTP or WebSocket API. */
static inline bool tt_resource_is_api(enum tt_resource_kind kind)
{
	return kind == TT_RES_REST_API || kind == TT_RES_HTTP_API || kind == TT_RES_WS_API;
}

/* The three tiers the console and `status` show, top to bottom. */
enum tt_tier {
	TT_TIER_PRESENTATION, /* the APIs */
	TT_TIER_LOGIC,        /* the functions */
	TT_TIER_DATA,         /* the tables */
	TT_TIER_COUNT,
};

static inline enum tt_tier tt_resource_tier(enum tt_resource_kind kind)
{
	return tt_resource_is_api(kind) ? TT_TIER_PRESENTATION : kind == TT_RES_FUNCTION ? TT_TIER_LOGIC : TT_TIER_DATA;
}

/* How a tier is spelled, static strings: its name ("presentation", the key
 * of `status --json`), its heading ("PRESENTATION") and the word for its rows
 * ("apis", as in `:apis`). */
struct tt_tier_words {
	const char *name;
	const char *heading;
	const char *rows;
};

const struct tt_tier_words *tt_tier_words(enum tt_tier tier);

/* The tier a word names, by its name or its rows' word; TT_TIER_COUNT for
 * none. */
enum tt_tier tt_tier_named(const char *word);

struct tt_metric_def {
	const char *key;          /* short column name: "errors", "p99" */
	const char *namespace_;
	const char *metric;
	const char *stat;
	const char *unit;         /* for display: "", "ms", "%" */
	/* Dimension names; the values come from the resource. "Operation"
	 * is filled from op when set. */
	const char *dim_names[3];
	const char *op;
};

struct tt_metric_set {
	const struct tt_metric_def *defs;
	size_t n;
};

const struct tt_metric_set *tt_catalog_for(enum tt_resource_kind kind);
const char *tt_resource_kind_name(enum tt_resource_kind kind);

/* One query per metric of the kind, ids "<prefix><n>"; ids are written into
 * ids (caller's storage, n * 32 bytes). Returns how many were written. */
size_t tt_catalog_queries(enum tt_resource_kind kind, const char *name, const char *qualifier, int period,
			  const char *id_prefix, char (*ids)[32], struct tt_cw_query *out, size_t max);

/* The ApiName dimension value API Gateway publishes a REST API's metrics
 * under: the API's name with every non-ASCII character removed, or its id
 * when nothing is left. The caller frees the result. */
char *tt_catalog_api_metric_name(const char *api_name, const char *api_id);

#endif
