-- Artifacts recorded before the server owned their bytes named a path on some machine (`location`), which the
-- API served from its own disk (a file-read hole); there are no stored bytes to move them to. They are removed
-- here, before the new not-null columns are added; the files they named are left untouched where they are.
DELETE FROM "artifacts";
