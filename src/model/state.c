/* tiertop's state directory (state.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tiertop/state.h"
#include "tiertop/xalloc.h"

char *tt_state_path(const char *name, const char *what, struct tt_err *err)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	/* The spec says a relative XDG_STATE_HOME is invalid and ignored. */
	if (xdg && xdg[0] == '/')
		return tt_xasprintf("%s/tiertop/%s", xdg, name);
	if (home && *home)
		return tt_xasprintf("%s/.local/state/tiertop/%s", home, name);
	tt_err_set(err, TT_ERR_CONFIG, "neither XDG_STATE_HOME nor HOME is set: %s", what);
	return NULL;
}

int tt_state_make_parents(const char *path, struct tt_err *err)
{
	char *dir = tt_xstrdup(path);
	int rc = 0;

	for (char *p = dir + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = tt_err_set(err, TT_ERR_FAILURE, "cannot create %s: %s", dir, strerror(errno));
		*p = '/';
	}
	free(dir);
	return rc;
}

int tt_write_all(int fd, const char *text, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

int tt_state_replace(const char *path, const char *text, size_t len, struct tt_err *err)
{
	char *tmp = tt_xasprintf("%s.tmp.%ld", path, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600), rc = 0;

	if (fd < 0) {
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot write %s: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	if (tt_write_all(fd, text, len))
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot write %s: %s", tmp, strerror(errno));
	/* An umask or an older file must not leave it readable by others. */
	if (fchmod(fd, 0600) && rc == 0)
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot chmod %s: %s", tmp, strerror(errno));
	if (close(fd) && rc == 0)
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot write %s: %s", tmp, strerror(errno));
	if (rc == 0 && rename(tmp, path))
		rc = tt_err_set(err, TT_ERR_FAILURE, "cannot rename %s: %s", tmp, strerror(errno));
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}
