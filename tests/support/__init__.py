"""Helpers the tests share: clients, fake outside services, book builders, the runtimes. Test
modules import from here, never from each other."""
