/* The AWS CLI's credential caches under ~/.aws: file names and atomic
 * rewrites, shared by the SSO token cache and the assume-role cache so that
 * tiertop and the CLI read and write the same files. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "creds_internal.h"
#include "tiertop/clock.h"
#include "tiertop/str.h"
#include "tiertop/xalloc.h"

char *creds_cache_file(const char *dir, const char *text)
{
	const char *home = getenv("HOME");
	unsigned char md[20];
	unsigned int n = 0;
	char hex[41];

	EVP_Digest(text, strlen(text), md, &n, EVP_sha1(), NULL);
	tt_hex_encode(md, 20, hex);
	return tt_xasprintf("%s/%s/%s.json", home && *home ? home : ".", dir, hex);
}

/* mkdir -p for the directories above path, private as the CLI makes them. */
static void make_parents(const char *path)
{
	char *copy = tt_xstrdup(path);

	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST)
			break;
		*p = '/';
	}
	free(copy);
}

int creds_cache_save(const char *path, const json_t *doc)
{
	char *tmp = tt_xasprintf("%s.tiertop-%d", path, (int)getpid());
	int fd, rc = -1;

	make_parents(path);
	/* It holds secrets: a fresh file, never one reached through a link
	 * that was planted (or left) at its name. */
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		bool written = json_dumpfd(doc, fd, JSON_INDENT(2)) == 0;
		if (close(fd) == 0 && written && rename(tmp, path) == 0)
			rc = 0;
	}
	unlink(tmp);
	free(tmp);
	return rc;
}

/* --- credential JSON ------------------------------------------------------------ */

const struct creds_json_names creds_json_process = {"AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration",
						    "AccountId"};
const struct creds_json_names creds_json_metadata = {"AccessKeyId", "SecretAccessKey", "Token", "Expiration",
						     "AccountId"};
const struct creds_json_names creds_json_sso = {"accessKeyId", "secretAccessKey", "sessionToken", "expiration", NULL};

static const char *member(const json_t *o, const char *key)
{
	const char *s = key ? json_string_value(json_object_get(o, key)) : NULL;

	return s && *s ? s : NULL;
}

enum creds_json_status creds_json_read(const json_t *o, const struct creds_json_names *names, bool need_token,
				       struct tt_creds *out)
{
	const char *ak = member(o, names->key_id), *sk = member(o, names->secret), *token = member(o, names->token);
	json_t *exp = json_object_get(o, names->expiration);
	time_t expiration = 0;

	if (!ak || !sk || (need_token && !token))
		return CREDS_JSON_INCOMPLETE;
	/* The portal gives milliseconds (botocore divides by 1000). */
	if (json_is_integer(exp))
		expiration = (time_t)(json_integer_value(exp) / 1000);
	else if (exp && (!json_is_string(exp) || tt_time_parse_iso8601(json_string_value(exp), &expiration)))
		return CREDS_JSON_BAD_EXPIRATION;
	tt_creds_set(out, ak, sk, token, expiration, member(o, names->account));
	return CREDS_JSON_OK;
}
