-- PostgreSQL keeps a table apart from its indexes whatever it is told: its journal stays as
-- version 1 made it. (Version 2 exists for both databases, so that one number names one
-- schema.)
SELECT 1;
