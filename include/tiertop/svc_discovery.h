/* Finding an application's resources: Resource Groups Tagging GetResources
 * (awsJson 1.1) and CloudFormation ListStackResources (awsQuery/XML); and
 * finding the applications of a region: CloudFormation ListStacks and
 * Tagging GetTagValues. Every call follows every page before calling back.
 *
 * Ownership: the lists passed to callbacks are borrowed for the callback's
 * duration. A struct tt_name_page owns its strings (tt_name_page_clear). */
#ifndef TIERTOP_SVC_DISCOVERY_H
#define TIERTOP_SVC_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>

#include "tiertop/aws.h"

struct tt_tagged_resource {
	const char *arn;
};

struct tt_tagged_list {
	const struct tt_tagged_resource *items;
	size_t n;
};

typedef void (*tt_tagged_fn)(void *ctx, const struct tt_tagged_list *list, const struct tt_err *err);

/* Resources whose tag key equals value, limited to the resource types
 * tiertop shows (lambda:function, dynamodb:table, apigateway:restapis,
 * apigateway:apis). */
int tt_tagging_find(const struct tt_aws *aws, const char *key, const char *value, tt_tagged_fn done,
		    void *ctx, struct tt_err *err);

struct tt_cfn_resource {
	const char *logical_id;
	const char *physical_id;
	const char *type;      /* "AWS::Lambda::Function", ... */
	const char *status;
};

struct tt_cfn_resources {
	const struct tt_cfn_resource *items;
	size_t n;
};

typedef void (*tt_cfn_resources_fn)(void *ctx, const struct tt_cfn_resources *list, const struct tt_err *err);

int tt_cfn_list_stack_resources(const struct tt_aws *aws, const char *stack, tt_cfn_resources_fn done, void *ctx,
				struct tt_err *err);

/* --- the applications of a region -------------------------------------------- */

/* Names gathered over the pages of a listing. */
struct tt_name_page {
	char **names;
	size_t n;
	char *next_token; /* the next page's token, NULL after the last page */
};

void tt_name_page_clear(struct tt_name_page *p);

struct tt_name_list {
	const char *const *names;
	size_t n;
};

typedef void (*tt_name_list_fn)(void *ctx, const struct tt_name_list *list, const struct tt_err *err);

/* The stack states ListStacks is asked for: stacks that exist and hold
 * resources (created, imported, updated or updating), not the deleted, the
 * failed creations or those being deleted. */
extern const char *const tt_cfn_live_states[];
extern const size_t tt_cfn_nlive_states;
bool tt_cfn_state_live(const char *status);

/* One page of a ListStacks answer: appends to page the names of the root
 * stacks (no ParentId, no RootId) in a live state and replaces
 * page->next_token. 0, or -1 with err set (malformed XML). */
int tt_cfn_list_stacks_parse(const char *body, size_t len, struct tt_name_page *page, struct tt_err *err);
/* The names of the region's live root stacks, in the order listed. */
int tt_cfn_list_stacks(const struct tt_aws *aws, tt_name_list_fn done, void *ctx, struct tt_err *err);

/* One page of a GetTagValues answer: appends the values (the empty value
 * included: a tag may have one) and replaces page->next_token (an absent or
 * empty token ends the pages). 0, or -1 with err set (malformed JSON). */
int tt_tagging_values_parse(const char *body, size_t len, struct tt_name_page *page, struct tt_err *err);
/* Every value of tag key in the region. */
int tt_tagging_get_values(const struct tt_aws *aws, const char *key, tt_name_list_fn done, void *ctx,
			  struct tt_err *err);

#endif
