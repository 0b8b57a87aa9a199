/* A fast discarding SMTP sink for benchmarks, with GnuTLS: STARTTLS, AUTH PLAIN and LOGIN that
 * accept anything, PIPELINING, SIZE, 8BITMIME and CHUNKING (BDAT). The content is thrown away at
 * memory speed: large reads, and "\r\n.\r\n" is searched with memmem, across buffer boundaries
 * through the last four bytes of the previous read. One connection at a time. Not a test server:
 * it checks nothing.
 *
 *   cc -O2 bench/sink.c $(pkg-config --cflags --libs gnutls) -o sink
 *   sink PORT_FILE CERT KEY
 *
 * Listens on 127.0.0.1:0 twice: SMTP with STARTTLS, and SMTP over implicit TLS; writes the two
 * ports chosen to PORT_FILE (first line STARTTLS, second implicit TLS; written to a temporary
 * name, then renamed). After each connection prints one line on standard error: the TLS version
 * and cipher, the content bytes discarded and the number of TLS records they came in (whether a
 * client fills its records). Stops on SIGTERM. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <gnutls/gnutls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define IN_SIZE  (256 * 1024)
#define OUT_SIZE 4096
#define MAX_SIZE "1073741824"

struct conn
{
  int fd;
  gnutls_session_t tls; /* NULL until STARTTLS (or at once for implicit TLS) */
  int auth_lines;       /* AUTH continuation lines still expected */
  char in[IN_SIZE];
  size_t start, end; /* unconsumed input: in[start..end) */
  char out[OUT_SIZE];
  size_t out_len; /* replies held back until the client's pipelined group is answered */
  unsigned long long content_bytes;
  unsigned long content_reads; /* reads while discarding content: TLS records when over TLS */
  unsigned messages;
};

static gnutls_certificate_credentials_t credentials;
static gnutls_priority_t priority;

static void
terminate_cb (int signum)
{
  (void) signum;
  _exit (0);
}

static void
die (const char *what)
{
  perror (what);
  exit (1);
}

/* Reads what is available (at most @len bytes): > 0 bytes, 0 at the end, -1 on error. */
static ssize_t
conn_read (struct conn *c, void *buf, size_t len)
{
  for (;;)
    {
      ssize_t n =
        c->tls != NULL ? gnutls_record_recv (c->tls, buf, len) : recv (c->fd, buf, len, 0);

      if (c->tls != NULL)
        {
          if (n >= 0)
            return n;
          if (n == GNUTLS_E_INTERRUPTED)
            continue;
          if (n == GNUTLS_E_PREMATURE_TERMINATION)
            return 0;
          return -1; /* GNUTLS_E_AGAIN is the receive timeout on this blocking socket */
        }
      if (n >= 0)
        return n;
      if (errno != EINTR)
        return -1;
    }
}

static int
conn_write (struct conn *c, const char *buf, size_t len)
{
  while (len > 0)
    {
      ssize_t n = c->tls != NULL ? gnutls_record_send (c->tls, buf, len)
                                 : send (c->fd, buf, len, MSG_NOSIGNAL);

      if (n < 0)
        {
          if ((c->tls != NULL && n == GNUTLS_E_INTERRUPTED) || (c->tls == NULL && errno == EINTR))
            continue;
          return -1;
        }
      buf += n;
      len -= (size_t) n;
    }
  return 0;
}

static int
flush (struct conn *c)
{
  int result = c->out_len > 0 ? conn_write (c, c->out, c->out_len) : 0;

  c->out_len = 0;
  return result;
}

/* Queues a reply; it goes out when no complete command is left in the input (RFC 2920). */
static int
reply (struct conn *c, const char *text)
{
  size_t len = strlen (text);

  if (c->out_len + len > OUT_SIZE && flush (c) < 0)
    return -1;
  memcpy (c->out + c->out_len, text, len);
  c->out_len += len;
  return 0;
}

/* Reads more input into an emptied buffer: > 0 bytes, 0 at the end, -1 on error. */
static ssize_t
refill (struct conn *c)
{
  ssize_t n;

  c->start = c->end = 0;
  n = conn_read (c, c->in, IN_SIZE);
  if (n > 0)
    c->end = (size_t) n;
  return n;
}

static void
count_content (struct conn *c, size_t bytes)
{
  c->content_bytes += bytes;
}

/* Discards DATA content up to and including "\r\n.\r\n"; what follows stays in the input. The
 * CRLF that ended the DATA command counts as the start of the terminator (an empty message). */
static int
discard_data (struct conn *c)
{
  static const char terminator[] = "\r\n.\r\n";
  char tail[4] = { '\r', '\n' };
  size_t tail_len = 2;

  for (;;)
    {
      const char *data = c->in + c->start;
      size_t len = c->end - c->start;
      char joint[8];
      size_t joint_len, take;
      const char *found;

      if (len == 0)
        {
          ssize_t n = refill (c);

          if (n <= 0)
            return -1;
          c->content_reads++;
          continue;
        }

      /* A terminator across the boundary starts in the tail and ends in the first 4 bytes. */
      take = len < 4 ? len : 4;
      memcpy (joint, tail, tail_len);
      memcpy (joint + tail_len, data, take);
      joint_len = tail_len + take;
      found = memmem (joint, joint_len, terminator, 5);
      if (found != NULL)
        {
          size_t used = (size_t) (found - joint) + 5 - tail_len;

          count_content (c, used);
          c->start += used;
          return 0;
        }
      found = memmem (data, len, terminator, 5);
      if (found != NULL)
        {
          size_t used = (size_t) (found - data) + 5;

          count_content (c, used);
          c->start += used;
          return 0;
        }

      /* Keep the last 4 bytes seen (from the old tail and this data). */
      if (len >= 4)
        {
          memcpy (tail, data + len - 4, 4);
          tail_len = 4;
        }
      else
        {
          size_t keep = joint_len < 4 ? joint_len : 4;

          memmove (tail, joint + joint_len - keep, keep);
          tail_len = keep;
        }
      count_content (c, len);
      c->start = c->end;
    }
}

/* Discards exactly @size bytes of BDAT content. */
static int
discard_chunk (struct conn *c, unsigned long long size)
{
  while (size > 0)
    {
      size_t available = c->end - c->start;
      size_t take;

      if (available == 0)
        {
          if (refill (c) <= 0)
            return -1;
          c->content_reads++;
          continue;
        }
      take = size < available ? (size_t) size : available;
      c->start += take;
      size -= take;
      count_content (c, take);
    }
  return 0;
}

static int
start_tls (struct conn *c)
{
  int ret;

  if (gnutls_init (&c->tls, GNUTLS_SERVER) < 0)
    return -1;
  gnutls_priority_set (c->tls, priority);
  gnutls_credentials_set (c->tls, GNUTLS_CRD_CERTIFICATE, credentials);
  gnutls_transport_set_int (c->tls, c->fd);
  do
    ret = gnutls_handshake (c->tls);
  while (ret < 0 && gnutls_error_is_fatal (ret) == 0 && ret != GNUTLS_E_AGAIN);
  if (ret < 0)
    {
      fprintf (stderr, "sink: handshake failed: %s\n", gnutls_strerror (ret));
      return -1;
    }
  return 0;
}

static int
ehlo (struct conn *c)
{
  char text[512];

  snprintf (text, sizeof text,
            "250-sink\r\n%s250-PIPELINING\r\n250-SIZE " MAX_SIZE "\r\n250-8BITMIME\r\n"
            "250-CHUNKING\r\n%s",
            c->tls == NULL ? "250-STARTTLS\r\n" : "",
            c->tls != NULL ? "250-AUTH PLAIN LOGIN\r\n250 ENHANCEDSTATUSCODES\r\n"
                           : "250 ENHANCEDSTATUSCODES\r\n");
  return reply (c, text);
}

/* Answers one command line (without its CRLF). Returns 1 after QUIT, -1 to drop. */
static int
command (struct conn *c, char *line)
{
  char *arg = strchr (line, ' ');

  if (c->auth_lines > 0)
    {
      c->auth_lines--;
      return reply (c, c->auth_lines > 0 ? "334 UGFzc3dvcmQ6\r\n" : "235 2.7.0 OK\r\n");
    }
  if (arg != NULL)
    *arg++ = '\0';

  if (strcasecmp (line, "EHLO") == 0)
    return ehlo (c);
  if (strcasecmp (line, "HELO") == 0)
    return reply (c, "250 sink\r\n");
  if (strcasecmp (line, "STARTTLS") == 0)
    {
      if (c->tls != NULL)
        return reply (c, "503 5.5.1 TLS already\r\n");
      if (reply (c, "220 2.0.0 go ahead\r\n") < 0 || flush (c) < 0)
        return -1;
      c->start = c->end = 0; /* anything pipelined after STARTTLS is not trusted */
      return start_tls (c);
    }
  if (strcasecmp (line, "AUTH") == 0)
    {
      char *initial = arg != NULL ? strchr (arg, ' ') : NULL;

      if (arg != NULL && strncasecmp (arg, "PLAIN", 5) == 0)
        {
          if (initial != NULL)
            return reply (c, "235 2.7.0 OK\r\n");
          c->auth_lines = 1;
          return reply (c, "334 \r\n");
        }
      if (arg != NULL && strncasecmp (arg, "LOGIN", 5) == 0)
        {
          c->auth_lines = initial != NULL ? 1 : 2;
          return reply (c, initial != NULL ? "334 UGFzc3dvcmQ6\r\n" : "334 VXNlcm5hbWU6\r\n");
        }
      return reply (c, "504 5.5.4 not here\r\n");
    }
  if (strcasecmp (line, "MAIL") == 0)
    return reply (c, "250 2.1.0 OK\r\n");
  if (strcasecmp (line, "RCPT") == 0)
    return reply (c, "250 2.1.5 OK\r\n");
  if (strcasecmp (line, "RSET") == 0 || strcasecmp (line, "NOOP") == 0)
    return reply (c, "250 2.0.0 OK\r\n");
  if (strcasecmp (line, "DATA") == 0)
    {
      if (reply (c, "354 go ahead\r\n") < 0 || flush (c) < 0 || discard_data (c) < 0)
        return -1;
      c->messages++;
      return reply (c, "250 2.0.0 discarded\r\n");
    }
  if (strcasecmp (line, "BDAT") == 0)
    {
      unsigned long long size = arg != NULL ? strtoull (arg, NULL, 10) : 0;
      int last = arg != NULL && strcasestr (arg, "LAST") != NULL;

      if (discard_chunk (c, size) < 0)
        return -1;
      if (last)
        c->messages++;
      return reply (c, last ? "250 2.0.0 discarded\r\n" : "250 2.0.0 chunk\r\n");
    }
  if (strcasecmp (line, "QUIT") == 0)
    return reply (c, "221 2.0.0 Bye\r\n") < 0 || flush (c) < 0 ? -1 : 1;
  return reply (c, "502 5.5.2 not here\r\n");
}

static void
serve (int fd, int implicit_tls)
{
  static struct conn c; /* 260 KiB: not on the stack */
  struct timeval timeout = { 60, 0 };
  int one = 1;
  int state = 0;

  memset (&c, 0, sizeof c);
  c.fd = fd;
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

  if (implicit_tls && start_tls (&c) < 0)
    goto out;
  if (reply (&c, "220 sink ESMTP ready\r\n") < 0)
    goto out;

  while (state == 0)
    {
      char *line = c.in + c.start;
      char *newline = memchr (line, '\n', c.end - c.start);

      if (newline == NULL)
        {
          ssize_t n;

          /* The group is complete: answer it before waiting for more. */
          if (flush (&c) < 0)
            break;
          if (c.start > 0)
            {
              memmove (c.in, c.in + c.start, c.end - c.start);
              c.end -= c.start;
              c.start = 0;
            }
          if (c.end == IN_SIZE)
            break; /* a command line of 256 KiB: not SMTP */
          n = conn_read (&c, c.in + c.end, IN_SIZE - c.end);
          if (n <= 0)
            break;
          c.end += (size_t) n;
          continue;
        }
      c.start = (size_t) (newline - c.in) + 1;
      *newline = '\0';
      if (newline > line && newline[-1] == '\r')
        newline[-1] = '\0';
      state = command (&c, line);
    }

out:
  fprintf (stderr, "sink: %s %s %s, %u message(s), %llu content bytes in %lu reads (%.0f B each)\n",
           implicit_tls ? "implicit-tls" : "starttls",
           c.tls != NULL ? gnutls_protocol_get_name (gnutls_protocol_get_version (c.tls)) : "plain",
           c.tls != NULL ? gnutls_cipher_get_name (gnutls_cipher_get (c.tls)) : "-", c.messages,
           c.content_bytes, c.content_reads,
           c.content_reads > 0 ? (double) c.content_bytes / c.content_reads : 0.0);
  if (c.tls != NULL)
    {
      gnutls_bye (c.tls, GNUTLS_SHUT_WR);
      gnutls_deinit (c.tls);
    }
  close (fd);
}

static int
listen_loopback (int *port)
{
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t len = sizeof address;
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  if (fd < 0)
    die ("socket");
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &address, sizeof address) < 0 || listen (fd, 16) < 0 ||
      getsockname (fd, (struct sockaddr *) &address, &len) < 0)
    die ("listen");
  *port = ntohs (address.sin_port);
  return fd;
}

int
main (int argc, char **argv)
{
  struct pollfd listeners[2];
  int ports[2];
  char tmp[4096];
  FILE *f;
  int ret;

  if (argc != 4)
    {
      fprintf (stderr, "usage: sink PORT_FILE CERT KEY\n");
      return 2;
    }
  signal (SIGTERM, terminate_cb);
  signal (SIGPIPE, SIG_IGN);

  gnutls_global_init ();
  gnutls_certificate_allocate_credentials (&credentials);
  ret = gnutls_certificate_set_x509_key_file (credentials, argv[2], argv[3], GNUTLS_X509_FMT_PEM);
  if (ret < 0)
    {
      fprintf (stderr, "sink: %s: %s\n", argv[2], gnutls_strerror (ret));
      return 1;
    }
  gnutls_priority_init (&priority, NULL, NULL); /* the system default, as a server would have */

  for (int i = 0; i < 2; i++)
    {
      listeners[i].fd = listen_loopback (&ports[i]);
      listeners[i].events = POLLIN;
    }
  snprintf (tmp, sizeof tmp, "%s.tmp", argv[1]);
  f = fopen (tmp, "w");
  if (f == NULL)
    die (tmp);
  fprintf (f, "%d\n%d\n", ports[0], ports[1]);
  if (fclose (f) != 0 || rename (tmp, argv[1]) < 0)
    die (argv[1]);

  for (;;)
    {
      if (poll (listeners, 2, -1) < 0)
        {
          if (errno == EINTR)
            continue;
          die ("poll");
        }
      for (int i = 0; i < 2; i++)
        if (listeners[i].revents & POLLIN)
          {
            int fd = accept (listeners[i].fd, NULL, NULL);

            if (fd >= 0)
              serve (fd, i == 1);
          }
    }
}
