# The petitions app has no models: packets are rendered on demand from the case record.
