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
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd >= 0) {
		bool written = json_dumpfd(doc, fd, JSON_INDENT(2)) == 0;
		if (close(fd) == 0 && written && rename(tmp, path) == 0)
			rc = 0;
	}
	unlink(tmp);
	free(tmp);
	return rc;
}
