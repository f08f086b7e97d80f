/* Finding an application's resources: Resource Groups Tagging GetResources
 * (awsJson 1.1) and CloudFormation ListStackResources (awsQuery/XML).
 * Both follow every page before calling back.
 *
 * Ownership: the lists passed to callbacks are borrowed for the callback's
 * duration. */
#ifndef TIERTOP_SVC_DISCOVERY_H
#define TIERTOP_SVC_DISCOVERY_H

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

#endif
