"""Write paths. Each public function is one transaction that records its EngagementEvent."""
