/*
 * cli_store.h: the dateline subcommands that read or maintain the store.
 * Each takes the subcommand's argc/argv and returns the exit status.
 */
#ifndef DATELINE_CLI_STORE_H
#define DATELINE_CLI_STORE_H

int cmd_feeds(int argc, char **argv);
int cmd_stories(int argc, char **argv);
int cmd_story(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_entities(int argc, char **argv);
int cmd_entity(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_reextract(int argc, char **argv);

#endif
