-- Support's timeline of one institution finds the refused log-ins typed with
-- its number (they carry no institution id: the caller was not logged in).
CREATE INDEX audit_log_refused_label_idx ON audit_log (actor_label, at DESC)
    WHERE action = 'log_ind_afvist';
