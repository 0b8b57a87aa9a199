/* pigeon-smtp-message.c
 *
 * Copyright 2026 The Pigeon authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "pigeon-smtp"

#include "pigeon-smtp-message.h"

struct _PigeonSmtpMessage
{
  PigeonSmtpMessageWriteFunc write_func;
  gpointer user_data;
  GDestroyNotify destroy_data;
  gint64 size;
  gint64 wire_size;
  gboolean is_8bit;
};

PigeonSmtpMessage *
pigeon_smtp_message_new (PigeonSmtpMessageWriteFunc write_func,
                         gpointer user_data,
                         GDestroyNotify destroy_data)
{
  PigeonSmtpMessage *message;

  g_return_val_if_fail (write_func != NULL, NULL);

  message = g_new0 (PigeonSmtpMessage, 1);
  message->write_func = write_func;
  message->user_data = user_data;
  message->destroy_data = destroy_data;
  message->size = -1;
  message->wire_size = -1;
  return message;
}

void
pigeon_smtp_message_free (PigeonSmtpMessage *message)
{
  if (message == NULL)
    return;
  if (message->destroy_data != NULL)
    message->destroy_data (message->user_data);
  g_free (message);
}

void
pigeon_smtp_message_set_size (PigeonSmtpMessage *message, gint64 size)
{
  message->size = size < 0 ? -1 : size;
}

gint64
pigeon_smtp_message_get_size (const PigeonSmtpMessage *message)
{
  return message->size;
}

void
pigeon_smtp_message_set_wire_size (PigeonSmtpMessage *message, gint64 wire_size)
{
  message->wire_size = wire_size < 0 ? -1 : wire_size;
}

gint64
pigeon_smtp_message_get_wire_size (const PigeonSmtpMessage *message)
{
  return message->wire_size >= 0 ? message->wire_size : message->size;
}

void
pigeon_smtp_message_set_8bit (PigeonSmtpMessage *message, gboolean is_8bit)
{
  message->is_8bit = !!is_8bit;
}

gboolean
pigeon_smtp_message_get_8bit (const PigeonSmtpMessage *message)
{
  return message->is_8bit;
}

gboolean
pigeon_smtp_message_write (PigeonSmtpMessage *message,
                           GOutputStream *stream,
                           GCancellable *cancellable,
                           GError **error)
{
  return message->write_func (stream, message->user_data, cancellable, error);
}
