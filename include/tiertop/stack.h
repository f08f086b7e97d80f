/* The application: its resources sorted into tiers, and the wiring between
 * them (API route -> function from integration URIs; function -> table from
 * event source mappings). Found by CloudFormation stack, by tag, or by name
 * prefix; filled in with one round of describe calls, all in parallel.
 *
 * Ownership: tt_stack_discover hands the callback a struct tt_stack that the
 * callback owns (free with tt_stack_free), or NULL with an error. A failure
 * to describe one resource does not sink the others: the resource stays,
 * with its error text in `problem`. */
#ifndef TIERTOP_STACK_H
#define TIERTOP_STACK_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/aws.h"

enum tt_select_kind {
	TT_SELECT_STACK,   /* value: CloudFormation stack name */
	TT_SELECT_TAG,     /* value: "KEY=VALUE" */
	TT_SELECT_PREFIX,  /* value: name prefix ("" = everything in the region) */
};

struct tt_stack_route {
	char *route;      /* "POST /feedback" */
	char *function;   /* function name, or "" when not a Lambda */
};

struct tt_stack_api {
	bool http;        /* HTTP API (v2); else REST API (v1) */
	char *id;
	char *name;
	char **stages;
	size_t nstages;
	struct tt_stack_route *routes;
	size_t nroutes;
	char *problem;    /* why a detail is missing, or NULL */
};

struct tt_stack_function {
	char *name;
	char *runtime;
	long timeout_s;
	long memory_mb;
	char **tables;    /* tables feeding it (event source mappings) */
	size_t ntables;
	char *problem;
};

struct tt_stack_table {
	char *name;
	char *billing;    /* "PROVISIONED", "PAY_PER_REQUEST", or "" */
	long long rcu, wcu;
	long long items;
	char *problem;
};

struct tt_stack {
	char *selector;   /* how it was found, for display: "stack feedback-stack" */
	struct tt_stack_api *apis;
	size_t napis;
	struct tt_stack_function *functions;
	size_t nfunctions;
	struct tt_stack_table *tables;
	size_t ntables;
};

typedef void (*tt_stack_fn)(void *ctx, struct tt_stack *stack, const struct tt_err *err);

int tt_stack_discover(const struct tt_aws *aws, enum tt_select_kind kind, const char *value, tt_stack_fn done,
		      void *ctx, struct tt_err *err);
void tt_stack_free(struct tt_stack **stack);

/* Pure helpers, exposed for tests: the function name in a Lambda ARN or
 * reference (qualifier dropped), and the table name in a DynamoDB table or
 * stream ARN. NULL when s is not one. Caller frees. */
char *tt_stack_function_name(const char *ref);
char *tt_stack_table_name(const char *arn);

#endif
